# brief — build, test and install.  GNU make.
#   make / make run     build / render the sample brief (installs the missing
#                       build packages only: tools/deps.sh)
#   make test           build and run every test (installs the test packages:
#                       tools/deps.sh --test); the last line is "N passed, M failed"
#   make unit|render|bad  one suite; make test SUITES="charts typo" several
#   make asan           the whole test suite under AddressSanitizer + UBSan
#   make fuzz           libFuzzer for FUZZ_SECONDS; make fuzz-replay replays the
#                       corpus and every crash file without libFuzzer
#   make install        PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
LIBDIR   = $(PREFIX)/lib
INCDIR   = $(PREFIX)/include
DATADIR  = $(PREFIX)/share/brief
MANDIR   = $(PREFIX)/share/man
FONTDIR  = $(DATADIR)/fonts

BUILD   ?= build
CC      ?= cc
PKGS     = cairo pangocairo pangoft2 fontconfig libcjson icu-uc icu-i18n libjpeg librsvg-2.0 libxml-2.0 libpng zlib
SAN     ?=
OPT     ?= -O2 -g
CFLAGS  ?= $(OPT)
ALL_CFLAGS = -std=c11 -Wall -Wextra -Werror -fPIC $(SAN) \
             -Iinclude -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
             -DBRIEF_FONTDIR='"$(FONTDIR)"' $(CFLAGS)
# Only the brief_* functions marked BRIEF_API in brief.h leave libbrief.so.
ALL_CFLAGS += -fvisibility=hidden -DBRIEF_BUILDING
LDLIBS  = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm

LIB_SRC  = $(wildcard src/*/*.c)
LIB_OBJ  = $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
CLI_SRC  = $(wildcard cli/*.c)
CLI_OBJ  = $(CLI_SRC:cli/%.c=$(BUILD)/cli/%.o)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
SAMPLE   = data/cangzhou-2020.json

.PHONY: all deps test-deps run test unit render bad asan fuzz fuzz-replay bench install uninstall readme-images \
        clean fonts

all: $(BUILD)/brief $(BUILD)/libbrief.a $(BUILD)/libbrief.so

# Stamps keep the dpkg queries out of every build once the packages are in.
# Building needs only .deps; the test programs and `make test` need
# .test-deps, which comes after .deps so that two apt-get never run at once
# under make -j.
$(BUILD)/.deps: tools/deps.sh
	@mkdir -p $(BUILD)
	@sh tools/deps.sh
	@touch $@
$(BUILD)/.test-deps: tools/deps.sh | $(BUILD)/.deps
	@mkdir -p $(BUILD)
	@sh tools/deps.sh --test
	@touch $@
deps: $(BUILD)/.deps
test-deps: $(BUILD)/.test-deps

# V=1 shows the full compiler command lines.
Q = $(if $(V),,@)
# Each object's header dependencies come from the compiler (-MMD), so a
# change to one header rebuilds only the objects that include it; a change
# to the flags here rebuilds everything.
$(BUILD)/obj/%.o: src/%.c Makefile | $(BUILD)/.deps
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/cli/%.o: cli/%.c Makefile | $(BUILD)/.deps
	@mkdir -p $(@D)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

$(BUILD)/libbrief.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^
$(BUILD)/libbrief.so: $(LIB_OBJ)
	$(CC) -shared $(SAN) -Wl,-soname,libbrief.so.0 -o $@ $^ $(LDLIBS)
$(BUILD)/brief: $(CLI_OBJ) $(BUILD)/libbrief.a
	$(CC) $(SAN) -o $@ $(CLI_OBJ) $(BUILD)/libbrief.a $(LDLIBS)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(BUILD)/libbrief.a | $(BUILD)/.test-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(BUILD)/libbrief.a $(LDLIBS) -lcmocka

$(BUILD)/tests/%: tests/tools/%.c $(BUILD)/libbrief.a | $(BUILD)/.test-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(BUILD)/libbrief.a $(LDLIBS)

TEST_TOOLS = $(patsubst tests/tools/%.c,$(BUILD)/tests/%,$(wildcard tests/tools/*.c)) \
             $(BUILD)/tests/fuzz_render $(BUILD)/tests/glyphcheck

$(BUILD)/tests/fuzz_render: tests/fuzz/fuzz_render.c $(BUILD)/libbrief.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(BUILD)/libbrief.a $(LDLIBS)

$(BUILD)/tests/glyphcheck: tests/glyphcheck/glyphcheck.c | $(BUILD)/.test-deps
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -o $@ $< $(LDLIBS)
-include $(UNIT_BIN:=.d) $(TEST_TOOLS:=.d)

# libFuzzer over parse → layout → PDF.  FUZZ_SECONDS=1800 make fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
fuzz:
	@sh tools/deps.sh --test
	$(MAKE) BUILD=build-fuzz CC=clang OPT='-O1 -g' SAN='$(FUZZ_FLAGS)' build-fuzz/libbrief.a
	clang $(ALL_CFLAGS) -fsanitize=fuzzer,address,undefined -DBRIEF_LIBFUZZER -O1 -g \
	    -o build-fuzz/fuzz_render tests/fuzz/fuzz_render.c build-fuzz/libbrief.a $(LDLIBS)
	mkdir -p build-fuzz/corpus build-fuzz/crashes
	cp data/*.json tests/bad/*.json tests/fuzz/corpus/* build-fuzz/corpus/ 2>/dev/null || true
	BRIEF_FONT_DIR=$(CURDIR)/fonts $(SAN_ENV) build-fuzz/fuzz_render -max_total_time=$(FUZZ_SECONDS) \
	    -max_len=65536 -timeout=10 -rss_limit_mb=2048 -dict=tests/fuzz/json.dict \
	    -artifact_prefix=build-fuzz/crashes/ build-fuzz/corpus

# The fuzz target with its own main() instead of libFuzzer's, under ASan +
# UBSan (the build of make asan): replays the corpus, the crashes kept in
# tests/fuzz/crashes and those a make fuzz run left in build-fuzz/crashes.
# Prints "N passed, M failed"; a crash stops it with the sanitizer's report.
FUZZ_REPLAY = tests/fuzz/corpus tests/fuzz/crashes $(wildcard build-fuzz/crashes)
fuzz-replay:
	$(ASAN_MAKE) build-asan/tests/fuzz_render
	BRIEF_FONT_DIR=$(CURDIR)/fonts $(SAN_ENV) build-asan/tests/fuzz_render $(FUZZ_REPLAY)

run: $(BUILD)/brief
	@$(BUILD)/brief render -q $(SAMPLE) -o $(BUILD)/cangzhou-2020.pdf
	@echo "rendered $(BUILD)/cangzhou-2020.pdf"

# tests/run.sh is the one runner: every suite, or those in SUITES.
SUITES ?=
test: all $(UNIT_BIN) $(TEST_TOOLS) | $(BUILD)/.test-deps
	@BUILD=$(BUILD) SAN='$(SAN)' sh tests/run.sh $(SUITES)
unit: $(UNIT_BIN)
	@BUILD=$(BUILD) SAN='$(SAN)' sh tests/run.sh unit
render: $(BUILD)/brief $(BUILD)/tests/png_diff | $(BUILD)/.test-deps
	@BUILD=$(BUILD) SAN='$(SAN)' sh tests/run.sh render
bad: $(BUILD)/brief
	@BUILD=$(BUILD) SAN='$(SAN)' sh tests/run.sh bad

# Sanitizer settings for every run of an instrumented binary.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:fast_unwind_on_malloc=0:abort_on_error=0 \
          UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
          LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
ASAN_MAKE = $(MAKE) BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
            SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined'
asan:
	$(SAN_ENV) $(ASAN_MAKE) test

# The images README.md shows, from the samples (tests/readme checks they are current).
readme-images: $(BUILD)/brief
	BUILD=$(BUILD) sh tools/readme-images.sh docs/img

# Speed and memory benchmark: writes bench/RESULTS.md (bench/run.sh).
bench:
	sh bench/run.sh

fonts:
	@sh tools/deps.sh --fonts
	/usr/bin/python3 tools/make-fonts.py

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(INCDIR) \
	    $(DESTDIR)$(FONTDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BUILD)/brief $(DESTDIR)$(BINDIR)/brief
	install -m 644 $(BUILD)/libbrief.a $(DESTDIR)$(LIBDIR)/libbrief.a
	install -m 755 $(BUILD)/libbrief.so $(DESTDIR)$(LIBDIR)/libbrief.so.0
	ln -sf libbrief.so.0 $(DESTDIR)$(LIBDIR)/libbrief.so
	install -m 644 include/brief.h $(DESTDIR)$(INCDIR)/brief.h
	install -m 644 fonts/*.otf fonts/OFL.txt $(DESTDIR)$(FONTDIR)/
	install -m 644 docs/brief.1 $(DESTDIR)$(MANDIR)/man1/brief.1
	install -d $(DESTDIR)$(PREFIX)/share/doc/brief/examples
	install -m 644 docs/api.md $(DESTDIR)$(PREFIX)/share/doc/brief/api.md
	install -m 644 tests/tools/embed_chart.c tests/api/chart_from_data.c \
	    $(DESTDIR)$(PREFIX)/share/doc/brief/examples/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@FONTDIR@|$(FONTDIR)|' -e 's|@VERSION@|$(shell sed -n 's/.*BRIEF_VERSION "\(.*\)"/\1/p' include/brief.h)|' \
	    brief.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/brief.pc

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/brief $(DESTDIR)$(LIBDIR)/libbrief.* $(DESTDIR)$(INCDIR)/brief.h \
	    $(DESTDIR)$(LIBDIR)/pkgconfig/brief.pc $(DESTDIR)$(MANDIR)/man1/brief.1
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(PREFIX)/share/doc/brief

clean:
	rm -rf build build-asan build-fuzz
