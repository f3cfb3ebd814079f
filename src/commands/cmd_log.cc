// rtcal log: the measurement log listed with line numbers, and corrected
// without rewriting it. `log drop N`, `log reset --at TIME` and `log note N
// TEXT` append correction records (state/measurement_log.h) that drift,
// report and status honour; `log import FILE` appends the entries of
// adjtimex's clocks.log as measurements. Everything that appends honours
// --dry-run (shows the records, writes nothing).
#include <cmath>
#include <memory>

#include "base/file_io.h"
#include "base/number_text.h"
#include "src/cli/command.h"
#include "src/cli/output.h"
#include "src/dates/date_parse.h"
#include "src/measure/log_view.h"
#include "state/clocks_log.h"
#include "state/measurement_log.h"

namespace rtcal {
namespace {

using state::LogRecord;
using state::RecordType;

constexpr size_t kLogListedByDefault = 50;

struct LogCmdArgs {
  bool all = false;
  int line = 0;            // drop, note
  std::string reason;      // drop, reset
  std::string text;        // note
  std::string at;          // reset --at
  std::string file;        // import
};

std::string log_utc(double t) { return format_utc_time(from_unix_s(t), 0); }

// One listed row: "  12  2026-11-23 10:56:10 UTC  measurement  +12.400 s ± 0.200 (ntp)".
std::string log_row_text(const LogRecord& r, const LogView& view) {
  std::string what;
  switch (r.type) {
    case RecordType::measurement:
      what = "measurement  " + fixed(r.rtc_error_s, 3, true) + " s ± " + fixed(r.sigma_s, 3) + " (" + r.source + ")";
      break;
    case RecordType::step: what = "step         " + fixed(r.amount_s, 3, true) + " s (" + r.reason + ")"; break;
    case RecordType::reset: what = "reset        " + r.reason; break;
    case RecordType::drop: what = "drop         line " + std::to_string(r.target_line) + ": " + r.reason; break;
    case RecordType::note: what = "note         line " + std::to_string(r.target_line) + ": " + r.reason; break;
    case RecordType::trim:
      what = "trim         " + fixed(r.previous_ppb, 0) + " -> " + fixed(r.offset_ppb, 0) + " ppb (" + r.reason + ")";
      break;
    case RecordType::boot: what = "boot         the RTC's reading at a boot (" + r.boot_id + ")"; break;
    case RecordType::shutdown: what = "shutdown"; break;
  }
  if (view.drop_reasons.count(r.line) && (r.type == RecordType::measurement || r.type == RecordType::step || r.type == RecordType::reset))
    what += "  [DROPPED]";
  if (const auto n = view.notes.find(r.line); n != view.notes.end())
    for (const auto& t : n->second) what += "  [note: " + t + "]";
  char head[64];
  std::snprintf(head, sizeof head, "%6d  %s  ", r.line, log_utc(r.time_unix_s).c_str());
  return head + what + "\n";
}

nlohmann::ordered_json log_row_json(const LogRecord& r, const LogView& view) {
  auto j = nlohmann::ordered_json::parse(state::format_record(r));
  j["line"] = r.line;  // for drop/note this replaces the target: keep it apart
  if (r.type == RecordType::drop || r.type == RecordType::note) j["target_line"] = r.target_line;
  j["dropped"] = view.drop_reasons.count(r.line) > 0;
  return j;
}

ExitCode run_list(Context& ctx, const LogCmdArgs& a) {
  const std::string& path = ctx.options().log_path;
  auto view = load_log_view(path);
  if (!view) return report(ctx, view.error());
  const size_t records = view->observations.size() + static_cast<size_t>(view->drops + view->note_count);
  const size_t skip = a.all || ctx.options().json || records <= kLogListedByDefault ? 0 : records - kLogListedByDefault;
  auto rows = nlohmann::ordered_json::array();
  size_t seen = 0;
  Status scanned = state::scan_log(path, [&](state::LogLineParse&& p, int line) {
    if (!p.record) {
      if (!ctx.options().json) ctx.out() << std::string(6 - std::min<size_t>(6, std::to_string(line).size()), ' ') << line << "  CORRUPT: " << p.cause << '\n';
      return;
    }
    if (seen++ < skip) return;
    if (ctx.options().json) rows.push_back(log_row_json(*p.record, *view));
    else ctx.out() << log_row_text(*p.record, *view);
  });
  if (!scanned) return report(ctx, scanned.error());
  if (ctx.options().json) {
    print_json(ctx, {{"log", path}, {"records", rows}});
    return ExitCode::ok;
  }
  if (records == 0) ctx.out() << path << ": no records yet (rtcal measure adds them)\n";
  if (skip > 0) ctx.out() << "(" << skip << " earlier records not listed; --all lists every one)\n";
  for (const auto& w : view->warnings) ctx.err() << "rtcal: " << path << ": " << w << '\n';
  return ExitCode::ok;
}

// Append `records` (or show them with --dry-run).
ExitCode append_all(Context& ctx, const std::vector<LogRecord>& records, const std::string& what) {
  const std::string& path = ctx.options().log_path;
  for (const auto& r : records) {
    ctx.out() << (ctx.options().dry_run ? "would append: " : "appending: ") << state::format_record(r);
    if (ctx.options().dry_run) continue;
    if (Status ok = state::append_log(path, r); !ok) return report(ctx, ok.error());
  }
  if (ctx.options().dry_run) ctx.out() << "--dry-run: " << path << " not written.\n";
  else ctx.out() << "Appended " << what << " to " << path << "; nothing earlier was changed.\n";
  return ExitCode::ok;
}

// The view, or the usage error for a line that holds no correctable record.
Result<LogView> target_view(Context& ctx, int line, bool for_drop) {
  const std::string& path = ctx.options().log_path;
  auto view = load_log_view(path);
  if (!view) return view.error();
  if (line < 1 || view->index_of_line(line) < 0)
    return usage_error("line " + std::to_string(line), "holds no measurement, step or reset in " + path,
                       "list the records with rtcal log and give the number at the start of the row");
  if (for_drop && view->drop_reasons.count(line))
    return usage_error("line " + std::to_string(line), "is already dropped", "rtcal log shows what each line holds");
  return view;
}

// Appends a record of TYPE about line LINE (a drop or a note), stamped now.
ExitCode append_about_line(Context& ctx, RecordType type, int line, const std::string& reason,
                           const std::string& what) {
  auto now = now_for(ctx);
  if (!now) return report(ctx, now.error());
  LogRecord r;
  r.type = type;
  r.time_unix_s = to_unix_s(*now);
  r.target_line = line;
  r.reason = reason;
  return append_all(ctx, {r}, what + " line " + std::to_string(line));
}

ExitCode run_drop(Context& ctx, const LogCmdArgs& a) {
  auto view = target_view(ctx, a.line, true);
  if (!view) return report(ctx, view.error());
  return append_about_line(ctx, RecordType::drop, a.line,
                           a.reason.empty() ? "dropped by rtcal log drop" : a.reason, "a drop of");
}

ExitCode run_note(Context& ctx, const LogCmdArgs& a) {
  auto view = target_view(ctx, a.line, false);
  if (!view) return report(ctx, view.error());
  if (a.text.empty()) return report(ctx, usage_error("TEXT", "is empty", "say what the note is, e.g. 'read by eye at dusk'"));
  return append_about_line(ctx, RecordType::note, a.line, a.text, "a note on");
}

ExitCode run_reset(Context& ctx, const LogCmdArgs& a) {
  auto now = now_for(ctx);
  if (!now) return report(ctx, now.error());
  auto at = parse_date(a.at, "--at", *now);
  if (!at) return report(ctx, at.error());
  const double t = to_unix_s(*at);
  if (t > to_unix_s(*now)) return report(ctx, usage_error("--at", "is in the future (" + log_utc(t) + ")", "give the time the RTC was set, e.g. --at '2026-11-23 10:00 UTC'"));
  LogRecord r;
  r.type = RecordType::reset;
  r.time_unix_s = t;
  r.reason = a.reason.empty() ? "unlogged reset, added by rtcal log reset" : a.reason;
  r.extra["logged_at"] = to_unix_s(*now);
  if (std::string problem = state::record_problem(r); !problem.empty()) return report(ctx, usage_error("--at", problem, "give a date from 1980 on"));
  return append_all(ctx, {r}, "a reset at " + log_utc(t) + " (measurements after it form a new segment)");
}

// The measurements (and resets where the RTC was disturbed) of clocks.log.
std::vector<LogRecord> imported(const state::ClocksLogParse& parse, const std::string& file, const LogView& view, int& skipped) {
  std::vector<double> known;  // times of measurements already imported
  for (size_t i = 0; i < view.observations.size(); ++i)
    if (view.observations[i].type == calibration::ObservationType::measurement && view.source_of(i) == "adjtimex")
      known.push_back(view.observations[i].time_unix_s);
  std::vector<LogRecord> out;
  for (const auto& e : parse.entries) {
    if (e.ref_unix_s == 0.0 || e.sigma_ref_s <= 0.0 || std::count(known.begin(), known.end(), e.ref_unix_s)) {
      ++skipped;  // no reference time: nothing to measure the RTC against; or already imported
      continue;
    }
    if (!e.cmos_ok && !out.empty()) {
      LogRecord reset;
      reset.type = RecordType::reset;
      reset.time_unix_s = e.ref_unix_s - 1.0;
      reset.reason = "adjtimex: the RTC was disturbed before " + file + " line " + std::to_string(e.line);
      out.push_back(reset);
    }
    LogRecord m;
    m.time_unix_s = e.ref_unix_s;
    m.rtc_error_s = std::round((e.cmos_unix_s - e.ref_unix_s) * 1e6) / 1e6;  // both printed to under a us
    m.sigma_s = std::hypot(e.sigma_ref_s, 0.001);  // CMOS printed to the ms
    m.source = "adjtimex";
    m.extra["imported_from"] = file;
    m.extra["import_line"] = e.line;
    out.push_back(m);
  }
  return out;
}

ExitCode run_import(Context& ctx, const LogCmdArgs& a) {
  auto text = read_whole_file(a.file, "FILE");
  if (!text) return report(ctx, text.error());
  if (!text->existed) return report(ctx, failure(a.file, "no such file", "adjtimex --log writes /var/log/clocks.log; name that file"));
  const auto parse = state::parse_clocks_log(text->bytes);
  if (!parse.errors.empty()) {
    const auto& e = parse.errors.front();
    return report(ctx, bad_state(a.file + ":" + std::to_string(e.line), e.cause, "fix or delete the line (a '#' at its start makes it a comment); nothing was imported"));
  }
  auto view = load_log_view(ctx.options().log_path);
  if (!view) return report(ctx, view.error());
  int skipped = 0;
  const auto records = imported(parse, a.file, *view, skipped);
  if (skipped > 0) ctx.out() << skipped << " entr" << (skipped == 1 ? "y" : "ies") << " skipped: no reference time (adjtimex --log without --host or --watch), or imported before.\n";
  if (records.empty()) {
    ctx.out() << "Nothing to import from " << a.file << ".\n";
    return ExitCode::ok;
  }
  return append_all(ctx, records, std::to_string(records.size()) + " records from " + a.file);
}

}  // namespace

Command add_log_command(CLI::App& root) {
  auto a = std::make_shared<LogCmdArgs>();
  CLI::App* app = root.add_subcommand(
      "log",
      "List the measurement log (--log) with line numbers, and correct it without rewriting it:\n"
      "corrections are appended as records that drift, report and status honour.");
  app->add_flag("--all", a->all, "List every record (default: the last 50)");
  auto* drop = app->add_subcommand("drop", "Withdraw the record on line N (a typo, a wrong reading): appends a drop record");
  drop->add_option("N", a->line, "The record's line number, as rtcal log lists it")->required();
  drop->add_option("--reason", a->reason, "Why, kept in the log")->type_name("TEXT");
  auto* reset = app->add_subcommand("reset", "Record a reset nobody logged (another OS set the RTC): measurements after TIME form a new segment");
  reset->add_option("--at", a->at, "When the RTC was set (a date; the one rtcal drift suggests)")->type_name("TIME")->required();
  reset->add_option("--reason", a->reason, "Why, kept in the log")->type_name("TEXT");
  auto* note = app->add_subcommand("note", "Add a note to the record on line N");
  note->add_option("N", a->line, "The record's line number")->required();
  note->add_option("TEXT", a->text, "The note")->required();
  auto* import = app->add_subcommand("import", "Append the entries of adjtimex's clock log (/var/log/clocks.log) as measurements");
  import->add_option("FILE", a->file, "The clocks.log file")->required();
  for (auto* sub : {drop, reset, note, import}) sub->option_defaults()->group("Options");
  app->footer(
      "Nothing in the log is ever rewritten: drop, reset and note append records (rtcal log lists\n"
      "them too). --dry-run shows what would be appended. A drop or note names a record by its line.\n"
      "JSON (rtcal --json log): {log, records [{type, time, ..., line, target_line, dropped}]}.\n"
      "Examples:\n"
      "  rtcal log                                   the last 50 records with their line numbers\n"
      "  rtcal log drop 12 --reason 'typed 14:32 for 14:23'\n"
      "  rtcal log reset --at '2026-11-23 10:00 UTC' Windows set the RTC then\n"
      "  rtcal log note 7 'read by eye at dusk'\n"
      "  rtcal --dry-run log import /var/log/clocks.log\n"
      "Exit status: 0 done; 1 a file error; 2 bad option or a line that holds no record; 3 a corrupt\n"
      "  clocks.log line (nothing imported).");
  return {app, [=](Context& ctx) {
            if (drop->parsed()) return run_drop(ctx, *a);
            if (reset->parsed()) return run_reset(ctx, *a);
            if (note->parsed()) return run_note(ctx, *a);
            if (import->parsed()) return run_import(ctx, *a);
            return run_list(ctx, *a);
          }};
}

}  // namespace rtcal
