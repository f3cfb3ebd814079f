// The list of subcommands. Each lives in its own src/cmd_*.cc.
#include "src/cli/command.h"

namespace rtcal {

// Factories, one per src/cmd_*.cc.
Command add_status_command(CLI::App& root);
Command add_predict_command(CLI::App& root);
Command add_factor_command(CLI::App& root);
Command add_sim_command(CLI::App& root);
Command add_show_command(CLI::App& root);
Command add_set_command(CLI::App& root);
Command add_systohc_command(CLI::App& root);
Command add_hctosys_command(CLI::App& root);
Command add_systz_command(CLI::App& root);
Command add_adjust_command(CLI::App& root);
Command add_ntp_command(CLI::App& root);
Command add_measure_command(CLI::App& root);
Command add_apply_command(CLI::App& root);
Command add_shutdown_command(CLI::App& root);
Command add_drift_command(CLI::App& root);
Command add_report_command(CLI::App& root);
Command add_log_command(CLI::App& root);
Command add_completion_command(CLI::App& root);
Command add_param_command(CLI::App& root);
Command add_trim_command(CLI::App& root);

const std::vector<CommandFactory>& command_factories() {
  static const std::vector<CommandFactory> factories = {
      add_status_command,
      add_show_command,
      add_predict_command,
      add_set_command,
      add_systohc_command,
      add_hctosys_command,
      add_systz_command,
      add_adjust_command,
      add_param_command,
      add_trim_command,
      add_apply_command,
      add_shutdown_command,
      add_measure_command,
      add_drift_command,
      add_report_command,
      add_log_command,
      add_factor_command,
      add_sim_command,
      add_ntp_command,
      add_completion_command,  // hidden
  };
  return factories;
}

}  // namespace rtcal
