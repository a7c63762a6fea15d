/*
 * make_jpeg.c — writes a test JPEG of any size (tests/faults/run.sh).
 *
 *   make_jpeg W H OUT.jpg [progressive]
 *
 * The picture is a noisy gradient, so that the file is about as large as a
 * photograph of that size; libjpeg writes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: make_jpeg W H OUT.jpg [progressive]\n");
        return 64;
    }
    int w = atoi(argv[1]), h = atoi(argv[2]);
    FILE *f = fopen(argv[3], "wb");
    if (w <= 0 || h <= 0 || !f) {
        fprintf(stderr, "make_jpeg: bad size or cannot write %s\n", argv[3]);
        return 64;
    }
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_stdio_dest(&c, f);
    c.image_width = (JDIMENSION)w;
    c.image_height = (JDIMENSION)h;
    c.input_components = 3;
    c.in_color_space = JCS_RGB;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 85, TRUE);
    if (argc > 4 && strcmp(argv[4], "progressive") == 0)
        jpeg_simple_progression(&c);
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc((size_t)w * 3);
    unsigned seed = 12345;
    while (row && c.next_scanline < c.image_height) {
        for (int x = 0; x < w; x++) {
            seed = seed * 1103515245u + 12345u;
            unsigned noise = (seed >> 16) & 31;
            row[3 * x] = (unsigned char)(x * 255 / w);
            row[3 * x + 1] = (unsigned char)(c.next_scanline * 255 / c.image_height);
            row[3 * x + 2] = (unsigned char)(128 + noise);
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    return fclose(f) == 0 ? 0 : 74;
}
