#ifndef BERTOLOGY_JSON_H
#define BERTOLOGY_JSON_H
/* Reading keys of JSON files made by Python (config.json,
 * tokenizer_config.json). */
#include <cjson/cJSON.h>

/* The value of key in obj, or NULL. A key given twice means its last
 * value, as Python's json.load reads it (cJSON's own lookup takes the
 * first, so the same file would mean two things). */
const cJSON *bt_json_get(const cJSON *obj, const char *key);

#endif
