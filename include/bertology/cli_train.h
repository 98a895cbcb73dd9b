#ifndef BERTOLOGY_CLI_TRAIN_H
#define BERTOLOGY_CLI_TRAIN_H
/* `bertology train`, `eval` and `vocab`: argv after the subcommand name. */
int cli_train(int argc, char **argv);
int cli_eval(int argc, char **argv);
int cli_vocab(int argc, char **argv);
int cli_pack(int argc, char **argv);
#endif
