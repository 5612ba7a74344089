// Date formats as OpenSearch names them: built-ins (strict_date_optional_time, date_optional_time,
// epoch_millis, epoch_second, basic_date, date_time, ...) and Java-style patterns
// ("yyyy-MM-dd HH:mm:ss"), combined with "||". Parsing yields epoch milliseconds (UTC unless the
// text carries an offset); formatting uses the first format of the list.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace sift::index {

class DateFormatter {
 public:
  // "strict_date_optional_time||epoch_millis" is the default for date fields.
  static Result<DateFormatter> create(std::string_view spec);
  static const DateFormatter& default_formatter();

  Result<int64_t> parse(std::string_view text) const;
  std::string format(int64_t epoch_millis) const;
  const std::string& spec() const { return spec_; }

  struct Part;  // one alternative of the "||" list

 private:
  std::string spec_;
  std::vector<std::shared_ptr<const Part>> parts_;
};

}  // namespace sift::index
