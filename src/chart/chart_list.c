/*
 * chart_list.c — the display list a chart layout fills.
 *
 * Takes measured tboxes and shapes with their final positions; gives the
 * chart_layout that chart_paint.c and chart_svg.c draw.  Guarantees:
 * appending never allocates (chart_list_reserve set the room for the most
 * a chart can hold), so a layout that started cannot run out of memory
 * half-way through its list.
 */
#include "chart/chart_build.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool chart_list_reserve(chart_layout *cl, size_t ntexts, size_t nshapes)
{
    /* One slot more than the bound: a sink that an append beyond it (a
     * bound computed wrong) writes into instead of past the end. */
    chart_text *t = calloc(ntexts + 1, sizeof *t);
    chart_shape *s = calloc(nshapes + 1, sizeof *s);
    if (!t || !s) {
        free(t);
        free(s);
        return false;
    }
    cl->texts = t;
    cl->cap_texts = ntexts;
    cl->shapes = s;
    cl->cap_shapes = nshapes;
    return true;
}

chart_text *add_text(build *b, chart_text_role role, int index, tbox *tb, double x0, double y0,
                     bool rotated, chart_rgb color)
{
    chart_layout *cl = b->cl;
    if (cl->ntexts == cl->cap_texts) {
        tbox_clear(tb);
        memset(&cl->texts[cl->cap_texts], 0, sizeof *cl->texts);
        return &cl->texts[cl->cap_texts];
    }
    chart_text *t = &cl->texts[cl->ntexts++];
    memset(t, 0, sizeof *t);
    t->role = role;
    t->index = index;
    t->series = -1;
    t->layout = tb->pl;
    t->text = tb->text;
    t->links = tb->links;
    t->nlinks = tb->nlinks;
    tb->pl = NULL;
    tb->text = NULL;
    tb->links = NULL;
    tb->nlinks = 0;
    t->lx = tb->lx;
    t->ly = tb->ly;
    t->rotated = rotated;
    t->size_pt = tb->size;
    t->scale = 1;
    t->x0 = x0;
    t->y0 = y0;
    t->x1 = x0 + (rotated ? tb->h : tb->w);
    t->y1 = y0 + (rotated ? tb->w : tb->h);
    t->color = color;
    tbox_clear(tb);
    return t;
}

chart_shape *add_shape(build *b, chart_shape_kind kind, chart_shape_role role, int layer,
                       double x0, double y0, double x1, double y1, chart_rgb color)
{
    chart_layout *cl = b->cl;
    chart_shape *s = &cl->shapes[cl->nshapes < cl->cap_shapes ? cl->nshapes++ : cl->cap_shapes];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->role = role;
    s->layer = layer;
    s->index = -1;
    if (kind == CHART_SHAPE_RECT) {
        s->x0 = fmin(x0, x1);
        s->x1 = fmax(x0, x1);
        s->y0 = fmin(y0, y1);
        s->y1 = fmax(y0, y1);
    } else {
        s->x0 = x0;
        s->y0 = y0;
        s->x1 = x1;
        s->y1 = y1;
    }
    s->color = color;
    s->width = CHART_HAIRLINE;
    return s;
}

void reset_layout(chart_layout *cl)
{
    for (size_t i = 0; i < cl->ntexts; i++) {
        if (cl->texts[i].layout)
            g_object_unref(cl->texts[i].layout);
        g_free(cl->texts[i].text);
        chart_links_free(cl->texts[i].links, cl->texts[i].nlinks);
    }
    cl->ntexts = 0;
    cl->nshapes = 0;
}

/* Moves everything by d pt right and down (the inset). */
void chart_list_offset(chart_layout *cl, double d)
{
    for (size_t i = 0; i < cl->ntexts; i++) {
        chart_text *t = &cl->texts[i];
        t->x0 += d;
        t->x1 += d;
        t->y0 += d;
        t->y1 += d;
    }
    for (size_t i = 0; i < cl->nshapes; i++) {
        chart_shape *sh = &cl->shapes[i];
        sh->x0 += d;
        sh->x1 += d;
        sh->y0 += d;
        sh->y1 += d;
    }
    cl->plot_x0 += d;
    cl->plot_x1 += d;
    cl->plot_y0 += d;
    cl->plot_y1 += d;
}

void chart_list_scale(chart_layout *cl, double s)
{
    for (size_t i = 0; i < cl->ntexts; i++) {
        chart_text *t = &cl->texts[i];
        t->x0 *= s;
        t->x1 *= s;
        t->y0 *= s;
        t->y1 *= s;
        t->scale *= s;
        t->size_pt *= s;
    }
    for (size_t i = 0; i < cl->nshapes; i++) {
        chart_shape *sh = &cl->shapes[i];
        sh->x0 *= s;
        sh->x1 *= s;
        sh->y0 *= s;
        sh->y1 *= s;
        sh->width *= s;
        sh->dash *= s;
    }
    cl->plot_x0 *= s;
    cl->plot_x1 *= s;
    cl->plot_y0 *= s;
    cl->plot_y1 *= s;
    cl->label_pt *= s;
    cl->scale *= s;
}

static bool inside_a_bar(const chart_layout *cl, const chart_text *t)
{
    for (size_t j = 0; j < cl->nshapes; j++) {
        const chart_shape *s = &cl->shapes[j];
        if (s->kind == CHART_SHAPE_RECT && s->role == CHART_ROLE_BAR && t->x0 >= s->x0 &&
            t->x1 <= s->x1 && t->y0 >= s->y0 && t->y1 <= s->y1)
            return true;
    }
    return false;
}

/* Halo for texts crossed by a grid or reference line. */
void mark_halos(chart_layout *cl)
{
    for (size_t i = 0; i < cl->ntexts; i++) {
        chart_text *t = &cl->texts[i];
        if (t->role != CHART_TEXT_VALUE && t->role != CHART_TEXT_REFERENCE)
            continue;
        if (inside_a_bar(cl, t))
            continue;
        for (size_t j = 0; j < cl->nshapes; j++) {
            const chart_shape *s = &cl->shapes[j];
            if (s->kind != CHART_SHAPE_LINE ||
                (s->role != CHART_ROLE_GRID && s->role != CHART_ROLE_REFERENCE))
                continue;
            double lx0 = fmin(s->x0, s->x1), lx1 = fmax(s->x0, s->x1);
            double ly0 = fmin(s->y0, s->y1), ly1 = fmax(s->y0, s->y1);
            if (lx1 >= t->x0 && lx0 <= t->x1 && ly1 >= t->y0 && ly0 <= t->y1) {
                t->halo = true;
                break;
            }
        }
    }
}

void chart_layout_free(chart_layout *cl)
{
    if (!cl)
        return;
    reset_layout(cl);
    free(cl->texts);
    free(cl->shapes);
    if (cl->ctx)
        g_object_unref(cl->ctx);
    free(cl);
}

double chart_layout_height(const chart_layout *cl)
{
    return cl ? cl->height : 0;
}

size_t chart_layout_text_count(const chart_layout *cl)
{
    return cl ? cl->ntexts : 0;
}

const chart_text *chart_layout_text(const chart_layout *cl, size_t i)
{
    return (cl && i < cl->ntexts) ? &cl->texts[i] : NULL;
}

size_t chart_layout_shape_count(const chart_layout *cl)
{
    return cl ? cl->nshapes : 0;
}

const chart_shape *chart_layout_shape(const chart_layout *cl, size_t i)
{
    return (cl && i < cl->nshapes) ? &cl->shapes[i] : NULL;
}
