#ifndef BERTOLOGY_CLI_PLOT_H
#define BERTOLOGY_CLI_PLOT_H
/* `bertology plot RUN_DIR --out FILE.png [--width W --height H] [--font FILE]`:
 * the window's training view drawn off-screen and saved as PNG (for the
 * model card, or to look at a run on a machine without a display).
 * argv after the subcommand name. */
int cli_plot(int argc, char **argv);
#endif
