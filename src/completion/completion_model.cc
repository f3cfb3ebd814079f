// The completion model (src/completion/completion.h): a walk over the CLI11 tree that
// keeps what a shell needs and drops hidden options and commands.
#include <string>

#include "src/completion/completion.h"

namespace rtcal {
namespace {

// The first sentence of a help text, on one line: "Read the RTC at its seconds edge: ...".
std::string first_line(const std::string& text) {
  std::string joined;
  for (char c : text) {
    if (c == '\n' || c == '\t') c = ' ';
    if (c == ' ' && (joined.empty() || joined.back() == ' ')) continue;
    joined += c;
  }
  const auto end = joined.find(". ");
  if (end != std::string::npos) joined.resize(end);
  while (!joined.empty() && (joined.back() == ' ' || joined.back() == '.')) joined.pop_back();
  return joined;
}

// "TEXT:{virtual,real}" -> {"virtual", "real"}.
std::vector<std::string> member_words(const std::string& type_name) {
  std::vector<std::string> words;
  const auto open = type_name.find(":{");
  const auto close = type_name.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return words;
  std::string list = type_name.substr(open + 2, close - open - 2);
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) words.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return words;
}

ValueKind kind_of(const std::string& value_name, bool has_words) {
  if (has_words) return ValueKind::words;
  if (value_name == "PATH" || value_name == "FILE") return ValueKind::file;
  if (value_name == "DEV") return ValueKind::rtc;
  return ValueKind::any;
}

CompletionOption option_of(const CLI::Option& opt) {
  CompletionOption o;
  for (const auto& s : opt.get_snames()) o.names.push_back("-" + s);
  for (const auto& l : opt.get_lnames()) o.names.push_back("--" + l);
  o.help = first_line(opt.get_description());
  if (opt.get_items_expected_max() == 0) return o;  // a flag
  const std::string type_name = opt.get_type_name();
  o.words = member_words(type_name);
  o.value_name = type_name.substr(0, type_name.find(':'));
  o.kind = kind_of(o.value_name, !o.words.empty());
  o.repeats = opt.get_items_expected_max() > 1;
  return o;
}

CompletionPositional positional_of(const CLI::Option& opt) {
  CompletionPositional p;
  p.name = opt.get_name();
  p.help = first_line(opt.get_description());
  const std::vector<std::string> words = member_words(opt.get_type_name());
  p.kind = kind_of(p.name, !words.empty());
  if (p.kind == ValueKind::words) p.kind = ValueKind::any;  // no positional uses a word list yet
  p.repeats = opt.get_items_expected_max() > 1;
  return p;
}

}  // namespace

CompletionCommand completion_model(const CLI::App& app) {
  CompletionCommand c;
  c.name = app.get_name();
  c.help = first_line(app.get_description());
  for (const CLI::Option* opt : app.get_options()) {
    if (opt->get_group().empty()) continue;  // hidden
    if (opt->get_positional() && !opt->nonpositional()) {
      c.positionals.push_back(positional_of(*opt));
    } else {
      c.options.push_back(option_of(*opt));
    }
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !s->get_group().empty(); })) {
    c.subcommands.push_back(completion_model(*sub));
  }
  return c;
}

}  // namespace rtcal
