/* viz_pump: events in, at most one frame out. Nothing is drawn unless
 * something changed, so an idle window costs nothing between keystrokes. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "viz_internal.h"

enum { FRAME_MS = 16, TOAST_MS = 4000, DRAG_PX = 4 };

static void toast(Viz *v, const char *msg) {
    snprintf(v->toast, sizeof v->toast, "%s", msg);
    v->toast_until = SDL_GetTicks() + TOAST_MS;
}

static void save_screenshot(Viz *v) {
    char name[64];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(name, sizeof name, "bertology-%Y%m%d-%H%M%S.png", &tm);
    BtError err;
    if (viz_screenshot(v, name, &err) == 0) {
        char msg[128];
        snprintf(msg, sizeof msg, _("saved %s"), name);
        toast(v, msg);
    } else {
        toast(v, err.msg);
    }
}

static VizView current(const Viz *v) {
    return v->pinned != VIZ_FOLLOW ? v->pinned : v->shown;
}

/* The view whose key this is (keypad digits as the digits), or -1. */
static int view_of_key(SDL_Keycode key) {
    if (key >= SDLK_KP_1 && key <= SDLK_KP_9) key = SDLK_1 + (key - SDLK_KP_1);
    for (int i = 0; i < VIZ_VIEW_COUNT; i++)
        if (key == (SDL_Keycode)viz_view_info(i)->key) return i;
    return -1;
}

static void on_key(Viz *v, const SDL_KeyboardEvent *k) {
    VizCtx *cx = &v->cx;
    SDL_Keycode key = k->keysym.sym;
    int shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    VizView view = current(v);
    if (view_of_key(key) >= 0) v->pinned = (VizView)view_of_key(key);
    else if (key == SDLK_0 || key == SDLK_KP_0) v->pinned = VIZ_FOLLOW;
    else if (key == SDLK_TAB)
        v->pinned = (VizView)((view + (shift ? VIZ_VIEW_COUNT - 1 : 1)) % VIZ_VIEW_COUNT);
    else if (key == SDLK_F1) v->help = !v->help;   /* '?' comes as text, see on_event */
    else if (key == SDLK_ESCAPE) v->help = 0;
    else if (key == SDLK_s) save_screenshot(v);
    else if (key == SDLK_r) cx->scores = !cx->scores;
    else if (key == SDLK_a) cx->all_heads = !cx->all_heads;
    else if (key == SDLK_c) {
        cx->yaw = 0.6f;
        cx->pitch = 0.35f;
        cx->zoom = 1;
    } else if (view == VIZ_EMBEDDINGS && (key == SDLK_LEFT || key == SDLK_RIGHT))
        cx->yaw += key == SDLK_LEFT ? -0.15f : 0.15f;
    else if (view == VIZ_EMBEDDINGS && (key == SDLK_UP || key == SDLK_DOWN))
        cx->level += key == SDLK_UP ? 1 : -1;
    else if (key == SDLK_LEFT || key == SDLK_RIGHT)
        cx->head += key == SDLK_LEFT ? -1 : 1;
    else if (key == SDLK_UP || key == SDLK_DOWN)
        cx->layer += key == SDLK_UP ? -1 : 1;
    else
        return;
    v->dirty = 1;
}

static void on_mouse_move(Viz *v, const SDL_MouseMotionEvent *m) {
    VizCtx *cx = &v->cx;
    cx->mx = (int)(m->x * cx->dpi);
    cx->my = (int)(m->y * cx->dpi);
    cx->mouse_in = 1;
    if (v->pressed) {
        int dx = m->x - v->press_x, dy = m->y - v->press_y;
        if (dx * dx + dy * dy > DRAG_PX * DRAG_PX) v->dragged = 1;
        if (v->dragged && v->shown == VIZ_EMBEDDINGS) {
            cx->yaw += m->xrel * 0.01f;
            cx->pitch += m->yrel * 0.01f;
            if (cx->pitch > 1.5f) cx->pitch = 1.5f;
            if (cx->pitch < -1.5f) cx->pitch = -1.5f;
        }
    }
    v->dirty = 1;
}

/* Returns 1 when the user closed the window. */
static int on_event(Viz *v, const SDL_Event *e) {
    VizCtx *cx = &v->cx;
    switch (e->type) {
    case SDL_QUIT: return 1;
    case SDL_WINDOWEVENT:
        if (e->window.event == SDL_WINDOWEVENT_CLOSE) return 1;
        if (e->window.event == SDL_WINDOWEVENT_LEAVE) cx->mouse_in = 0;
        v->dirty = 1;   /* resized, exposed, restored: the picture may be gone */
        break;
    case SDL_KEYDOWN: on_key(v, &e->key); break;
    case SDL_TEXTINPUT:
        /* '?' as typed: its key differs between keyboard layouts. */
        if (strcmp(e->text.text, "?") == 0) {
            v->help = !v->help;
            v->dirty = 1;
        }
        break;
    case SDL_MOUSEMOTION: on_mouse_move(v, &e->motion); break;
    case SDL_MOUSEBUTTONDOWN:
        if (e->button.button == SDL_BUTTON_LEFT) {
            v->pressed = 1;
            v->dragged = 0;
            v->press_x = e->button.x;
            v->press_y = e->button.y;
        }
        break;
    case SDL_MOUSEBUTTONUP:
        if (e->button.button == SDL_BUTTON_LEFT) {
            if (v->pressed && !v->dragged) {
                cx->click = 1;
                cx->mx = (int)(e->button.x * cx->dpi);
                cx->my = (int)(e->button.y * cx->dpi);
                cx->mouse_in = 1;
            }
            v->pressed = 0;
            v->dirty = 1;
        }
        break;
    case SDL_MOUSEWHEEL:
        if (v->shown == VIZ_EMBEDDINGS) {
            cx->zoom *= e->wheel.y > 0 ? 1.1f : 1 / 1.1f;
            if (cx->zoom < 0.3f) cx->zoom = 0.3f;
            if (cx->zoom > 5) cx->zoom = 5;
            v->dirty = 1;
        }
        break;
    default: break;
    }
    return 0;
}

int viz_pump(Viz *v, int timeout_ms) {
    uint32_t now = SDL_GetTicks();
    int wait = timeout_ms < 0 ? 0 : timeout_ms;
    if (v->toast[0]) {
        int left = (int)(v->toast_until - now);
        if (left < wait) wait = left < 0 ? 0 : left;
    }
    if (v->dirty) {
        /* Wait no longer than until the next frame is due. */
        int due = FRAME_MS - (int)(now - v->last_draw_ms);
        if (due < wait) wait = due < 0 ? 0 : due;
    }
    int quit = 0;
    SDL_Event e;
    if (wait > 0 ? SDL_WaitEventTimeout(&e, wait) : SDL_PollEvent(&e)) {
        quit |= on_event(v, &e);
        while (SDL_PollEvent(&e)) quit |= on_event(v, &e);
    }
    now = SDL_GetTicks();
    if (v->toast[0] && (int)(v->toast_until - now) <= 0) {
        v->toast[0] = '\0';
        v->dirty = 1;
    }
    if (v->dirty && (int)(now - v->last_draw_ms) >= FRAME_MS) {
        v->dirty = 0;
        viz_frame_draw(v);
        SDL_RenderPresent(v->ren);
        v->last_draw_ms = now;
    }
    return quit;
}
