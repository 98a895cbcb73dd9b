#ifndef BT_ST_COMMON_H
#define BT_ST_COMMON_H
/* Shared by the safetensors reader and writer (private to src/core). */

/* Names and paths in messages come from files and users; they are cut to
 * fit BtError (512 bytes) and stripped of control bytes so that a hostile
 * name cannot drive the terminal. */
#define ST_NAME_BUF 128
void st_display_name(char out[ST_NAME_BUF], const char *s);
/* Like st_display_name but keeps the end of a long path. */
void st_display_path(char out[ST_NAME_BUF], const char *path);

#endif
