#ifndef BERTOLOGY_CLI_SCAN_H
#define BERTOLOGY_CLI_SCAN_H
/* `bertology scan [--model DIR] [--json] [--word W] [--pos P] [--mean]
 * [--truncate] TEXT`: every head knocked out in turn (core/scan.h), the
 * layers × heads grids of Δ log p of the [MASK] word and of IsNext, as
 * text or JSON. argv after the subcommand name. */
int cli_scan(int argc, char **argv);
#endif
