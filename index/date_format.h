// Date formats as OpenSearch names them: built-ins (strict_date_optional_time, date_optional_time,
// epoch_millis, epoch_second, basic_date, date_time, ..., and the *_nanos variants) and Java-style
// patterns ("yyyy-MM-dd HH:mm:ss.SSSSSS"), combined with "||". Parsing yields an instant with
// nanosecond precision (UTC unless the text carries an offset), or epoch milliseconds; formatting
// uses the first format of the list and prints as many fraction digits as the format asks for.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "index/date_instant.h"

namespace sift::index {

class DateFormatter {
 public:
  // "strict_date_optional_time||epoch_millis" is the default for date fields.
  static Result<DateFormatter> create(std::string_view spec);
  static const DateFormatter& default_formatter();

  // Epoch milliseconds, digits below the millisecond floored away (date fields).
  Result<int64_t> parse(std::string_view text) const;
  // Full precision: fractions of up to 9 digits, epoch_millis with a fraction (date_nanos fields).
  Result<DateInstant> parse_instant(std::string_view text) const;
  std::string format(int64_t epoch_millis) const;
  std::string format_nanos(int64_t epoch_nanos) const;
  // strict_date_optional_time prints milliseconds; strict_date_optional_time_nanos 3 to 9 fraction
  // digits (trailing zeros dropped down to 3); epoch_millis a fraction only below the millisecond.
  std::string format_instant(DateInstant t) const;
  const std::string& spec() const { return spec_; }

  struct Part;  // one alternative of the "||" list

 private:
  std::string spec_;
  std::vector<std::shared_ptr<const Part>> parts_;
};

}  // namespace sift::index
