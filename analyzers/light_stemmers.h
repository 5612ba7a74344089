// Lucene's own (non-Snowball) stemmers and normalizers, one function per algorithm, each rewriting
// one term in place. Terms are UTF-16 because Lucene's algorithms work on Java chars (a code point
// outside the BMP is two chars, neither a letter the rules name). Written from the algorithms'
// published behaviour (Porter 1980 as Lucene's PorterStemmer has it; J. Savoy's light and minimal
// stemmers as Lucene implements them) and checked against Lucene 8.7 (stemmers_test.cpp).
#pragma once

#include <string>

namespace sift::analysis::stem {

void porter(std::u16string* s);              // PorterStemFilter ("english", "porter")
// Porter on ASCII terms in place (their UTF-8 bytes are their UTF-16 units): no conversion.
void porter_ascii(std::string* s);
// EnglishPossessiveFilter on any UTF-8 term in place.
void english_possessive_utf8(std::string* s);
void english_minimal(std::u16string* s);     // EnglishMinimalStemFilter
void english_possessive(std::u16string* s);  // EnglishPossessiveFilter
void german_normalize(std::u16string* s);    // GermanNormalizationFilter
void german_light(std::u16string* s);        // GermanLightStemFilter
void german_minimal(std::u16string* s);      // GermanMinimalStemFilter
void french_light(std::u16string* s);        // FrenchLightStemFilter
void french_minimal(std::u16string* s);      // FrenchMinimalStemFilter
void spanish_light(std::u16string* s);       // SpanishLightStemFilter
void italian_light(std::u16string* s);       // ItalianLightStemFilter
void portuguese_light(std::u16string* s);    // PortugueseLightStemFilter
void russian_light(std::u16string* s);       // RussianLightStemFilter
void swedish_light(std::u16string* s);       // SwedishLightStemFilter
// lucene_stemmers_more.cpp
void arabic_normalize(std::u16string* s);    // ArabicNormalizationFilter
void arabic_stem(std::u16string* s);         // ArabicStemFilter
void persian_normalize(std::u16string* s);   // PersianNormalizationFilter
void indic_normalize(std::u16string* s);     // IndicNormalizationFilter
void hindi_normalize(std::u16string* s);     // HindiNormalizationFilter
void hindi_stem(std::u16string* s);          // HindiStemFilter
void bulgarian_stem(std::u16string* s);      // BulgarianStemFilter
void czech_stem(std::u16string* s);          // CzechStemFilter
void latvian_stem(std::u16string* s);        // LatvianStemFilter
void indonesian_stem(std::u16string* s);     // IndonesianStemFilter (derivational stemming on)
// kstem.cpp
void kstem(std::u16string* s);               // KStemFilter (Krovetz)
void kstem_ascii(std::string* s);            // KStemFilter on an ASCII term
// lucene_stemmers_extra.cpp
void sorani_normalize(std::u16string* s);    // SoraniNormalizationFilter
void sorani_stem(std::u16string* s);         // SoraniStemFilter
void bengali_normalize(std::u16string* s);   // BengaliNormalizationFilter
void bengali_stem(std::u16string* s);        // BengaliStemFilter

}  // namespace sift::analysis::stem
