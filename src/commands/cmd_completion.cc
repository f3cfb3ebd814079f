// rtcal completion bash|zsh: print the shell completion script generated from
// rtcal's own command line (src/completion/completion.h). Hidden from --help: the build
// runs it to write the installed completion files.
#include <memory>
#include <string>

#include "src/cli/command.h"
#include "src/completion/completion.h"

namespace rtcal {

Command add_completion_command(CLI::App& root) {
  auto shell = std::make_shared<std::string>();
  CLI::App* app = root.add_subcommand("completion", "Print the bash or zsh completion script for rtcal");
  app->group("");  // hidden: not a user task, the build installs its output
  app->add_option("SHELL", *shell, "bash or zsh")->required()->check(CLI::IsMember({"bash", "zsh"}));
  app->footer(
      "Examples:\n"
      "  rtcal completion bash > /usr/share/bash-completion/completions/rtcal\n"
      "  rtcal completion zsh > /usr/share/zsh/vendor-completions/_rtcal");
  return {app, [&root, shell](Context& ctx) {
            const CompletionCommand model = completion_model(root);
            ctx.out() << (*shell == "bash" ? bash_completion(model) : zsh_completion(model));
            return ExitCode::ok;
          }};
}

}  // namespace rtcal
