/* placeholder: being written */
typedef int bt_placeholder_viz;
