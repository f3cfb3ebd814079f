// Messages in the user's language: gettext (glibc's libintl, the util-linux
// convention) with the text domain "rtcal". Only what a person reads is
// translated: the guided `measure` dialogue, `status`, `drift`'s text,
// errors shown by the CLI and `--help`. Machine-read output stays English and
// byte-identical in every language: --json, the hwclock/clock drop-in (its
// output is parsed by boot scripts), completion scripts, the measurement log
// and /etc/adjtime. Numbers and dates are never localised: init() switches
// only LC_MESSAGES and LC_CTYPE, so LC_NUMERIC and LC_TIME stay "C".
//
// In code: _("text") translates, N_("text") only marks a string for
// xgettext (translate it later with _()), plural(one, many, n) picks the
// form for n, and format("{1} of {2}", a, b) fills numbered placeholders, so
// a translation may reorder them ("{2}개 중 {1}번째").
#pragma once

#include <string>
#include <string_view>
#include <type_traits>

namespace rtcal::i18n {

// Select the user's language (LANGUAGE, LC_ALL, LC_MESSAGES, LANG) for
// messages and the character set for output, and bind the "rtcal" domain to
// the catalogs. The catalog directory: $RTCAL_LOCALEDIR when set (the tests
// use the build tree's), else <executable>/../share/locale when it exists,
// else the install's localedir compiled in by CMake. Not called in drop-in
// mode, so hwclock/clock always speak English.
void init();

// The translation of `msgid`, or `msgid` itself when there is none.
const char* translate(const char* msgid);

// The form of `one`/`many` for the count n in the user's language.
const char* plural(const char* one, const char* many, unsigned long n);

// `pattern` with {1}..{9} replaced by the texts in `args` (in order); "{{"
// stands for a literal '{'. An unknown placeholder stays as it is.
std::string format_texts(std::string_view pattern, const std::string_view* args, int count);

// A placeholder's text: strings as they are, integers in decimal (never
// localised). Format other numbers first (fixed(), num()).
inline std::string_view as_text(std::string_view s) { return s; }
inline std::string_view as_text(const std::string& s) { return s; }
inline std::string_view as_text(const char* s) { return s; }
template <class I, class = std::enable_if_t<std::is_integral_v<I>>>
std::string as_text(I n) { return std::to_string(n); }

// format("{1} of {2}", a, b): see format_texts.
template <class... Args>
std::string format(std::string_view pattern, const Args&... args) {
  [[maybe_unused]] const auto keep = [](const auto& a) { return std::string(as_text(a)); };
  const std::string texts[] = {keep(args)..., std::string()};
  std::string_view views[sizeof...(Args) + 1];
  for (size_t i = 0; i < sizeof...(Args); ++i) views[i] = texts[i];
  return format_texts(pattern, views, static_cast<int>(sizeof...(Args)));
}

}  // namespace rtcal::i18n

// The gettext shorthands xgettext looks for (po/CMakeLists: -k_ -kN_ -kplural:1,2).
#define _(msgid) ::rtcal::i18n::translate(msgid)
#define N_(msgid) msgid
