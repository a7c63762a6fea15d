/*
 * chart_frame.c — the chart's frame: title and subtitle above, notes
 * below, and the whole of a chart without rows.
 *
 * Takes the spec's texts and what the data resolved to (nulls, completion
 * ratios shown as "—"); gives the measured blocks and their heights, then
 * emits them at the top and bottom of the final height.  Guarantees: the
 * texts are wrapped to the chart's width, never cut; texts given as runs
 * are measured with their bold runs bold.
 */
#include "chart/chart_build.h"

#include <string.h>

static const char NOTE_NULLS[] = "注：“—”表示数据缺失，图中留空，不作零值处理。";
static const char NOTE_RATIO[] = "注：计划为零或缺失时，完成率以“—”表示。";

void frame_make(build *b, frame *f)
{
    memset(f, 0, sizeof *f);
    const chart_spec *s = b->spec;
    PangoAlignment al = b->th->center_title ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT;
    double y = 0;
    if (s->title && *s->title) {
        text_wrap_rich(b, &f->title, s->title_rich, s->title, CHART_TITLE_PT, true, b->W, al,
                       true, true);
        y += f->title.h;
    }
    if (s->subtitle && *s->subtitle) {
        text_wrap_rich(b, &f->subtitle, s->subtitle_rich, s->subtitle, CHART_LABEL_PT, false,
                       b->W, al, true, true);
        y += f->subtitle.h;
    }
    f->top_h = y > 0 ? y + GAP_SECTION : 0;
    const char *notes[4] = {NULL, NULL, NULL, NULL};
    const rich_text *rich[4] = {NULL, NULL, NULL, NULL};
    size_t nn = 0;
    if (s->note && *s->note) {
        rich[nn] = s->note_rich;
        notes[nn++] = s->note;
    }
    if (b->nnull > 0)
        notes[nn++] = NOTE_NULLS;
    if (b->ratio_dash)
        notes[nn++] = NOTE_RATIO;
    if (b->axis_note)
        notes[nn++] = b->axis_note;
    double h = 0;
    for (size_t i = 0; i < nn; i++) {
        text_wrap_label_rich(b, &f->notes[i], rich[i], notes[i], CHART_SMALL_PT, false, b->W,
                             PANGO_ALIGN_LEFT, false);
        h += f->notes[i].h + (i ? 1 : 0);
    }
    f->nnotes = nn;
    f->notes_h = h > 0 ? h + GAP_SECTION : 0;
}

void frame_free(frame *f)
{
    tbox_clear(&f->title);
    tbox_clear(&f->subtitle);
    for (size_t i = 0; i < 4; i++)
        tbox_clear(&f->notes[i]);
}

/* Emits the title block at the top and the notes at the bottom (H final).
 * The tboxes are consumed, so a frame is emitted once. */
void frame_emit(build *b, frame *f, double H)
{
    double y = 0;
    bool center = b->th->center_title;
    if (f->title.pl) {
        double x = center ? (b->W - f->title.w) / 2 : 0;
        double h = f->title.h;
        add_text(b, CHART_TEXT_TITLE, -1, &f->title, x, y, false, b->th->title);
        y += h;
    }
    if (f->subtitle.pl) {
        double x = center ? (b->W - f->subtitle.w) / 2 : 0;
        add_text(b, CHART_TEXT_SUBTITLE, -1, &f->subtitle, x, y, false, b->th->muted);
    }
    y = H - f->notes_h + (f->notes_h > 0 ? GAP_SECTION : 0);
    for (size_t i = 0; i < f->nnotes; i++) {
        double h = f->notes[i].h;
        add_text(b, CHART_TEXT_NOTE, -1, &f->notes[i], 0, y, false, b->th->muted);
        y += h + 1;
    }
}

/* A chart without rows: its frame and "无数据" in the middle. */
void layout_empty(build *b)
{
    frame fr;
    frame_make(b, &fr);
    double H = b->fixed_h ? b->H : fr.top_h + 60 + fr.notes_h;
    b->cl->height = H;
    frame_emit(b, &fr, H);
    tbox tb;
    text_plain(b, &tb, "无数据", CHART_LABEL_PT, false, PANGO_ALIGN_CENTER);
    double y = fr.top_h + (H - fr.top_h - fr.notes_h - tb.h) / 2;
    add_text(b, CHART_TEXT_EMPTY, -1, &tb, (b->W - tb.w) / 2, y, false, b->th->muted);
    frame_free(&fr);
}
