// Shell completion generated from rtcal's own command line: the CLI11 tree
// (commands, options, positionals, value names) is turned into a plain model,
// and the model into a bash or zsh completion script. Because the scripts are
// generated from the same definitions as --help, a new command or option is
// completed as soon as it exists; the build writes the scripts with the
// hidden `rtcal completion bash|zsh` (src/commands/cmd_completion.cc).
//
// What a value completes to is read off its value name: PATH and FILE
// complete file names, DEV completes /dev/rtc* and sim:FILE, a CLI11
// IsMember check ("TEXT:{virtual,real}") completes its words, anything else
// (DATE, S, N, SERVER) completes nothing.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace rtcal {

// What to offer for an option's or positional's value.
enum class ValueKind { none, any, file, rtc, words };

struct CompletionOption {
  std::vector<std::string> names;  // "-f", "--rtc"
  std::string help;                // the first line of its description
  std::string value_name;          // "DEV", "" for a flag
  ValueKind kind = ValueKind::none;
  std::vector<std::string> words;  // for ValueKind::words
  bool repeats = false;            // takes several values (SERVER...)
};

struct CompletionPositional {
  std::string name;  // "FILE"
  std::string help;
  ValueKind kind = ValueKind::any;
  bool repeats = false;
};

struct CompletionCommand {
  std::string name;  // "rtcal", "sim", "init"
  std::string help;  // the first line of its description
  std::vector<CompletionOption> options;  // for the root: the global options
  std::vector<CompletionPositional> positionals;
  std::vector<CompletionCommand> subcommands;  // hidden ones (group "") left out
};

// The model of `app` and its visible subcommands.
CompletionCommand completion_model(const CLI::App& app);

// A bash completion script defining and registering the function _rtcal.
std::string bash_completion(const CompletionCommand& root);

// A zsh completion script (#compdef rtcal) for the fpath file _rtcal.
std::string zsh_completion(const CompletionCommand& root);

}  // namespace rtcal
