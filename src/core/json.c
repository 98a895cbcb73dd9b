#include "bertology/json.h"
#include <string.h>

const cJSON *bt_json_get(const cJSON *obj, const char *key) {
    const cJSON *last = NULL;
    if (!cJSON_IsObject(obj)) return NULL;
    for (const cJSON *it = obj->child; it; it = it->next)
        if (it->string && strcmp(it->string, key) == 0) last = it;
    return last;
}
