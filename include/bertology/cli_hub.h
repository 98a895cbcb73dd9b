#ifndef BERTOLOGY_CLI_HUB_H
#define BERTOLOGY_CLI_HUB_H
/* `bertology pull`, `convert` and `models`: argv after the subcommand name. */
int cli_pull(int argc, char **argv);
int cli_convert(int argc, char **argv);
int cli_models(int argc, char **argv);
#endif
