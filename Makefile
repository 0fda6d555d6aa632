# praktika — GNU make build. See README.md («Сборка») for the targets.
#
#   make                 build build/praktika
#   make run             install missing Debian packages, build, render the sample bank into public/
#   make check           all tests (unit, spec, golden, validation, site checks)
#   make SANITIZE=address,undefined check     the same under ASan/UBSan
#   make valgrind        unit tests under valgrind, no leaks allowed
#   make bench           benchmarks
#   make install PREFIX=/usr/local

PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
DATADIR  ?= $(PREFIX)/share/praktika
MANDIR   ?= $(PREFIX)/share/man

CC       ?= cc
CFLAGS   ?= -O2 -g
PKGS     := libcmark-gfm yaml-0.1 libgit2 icu-uc icu-i18n
TEST_PKGS := cmocka

WARNINGS := -std=c11 -Wall -Wextra -pedantic -Wstrict-prototypes \
            -Wmissing-prototypes -Wwrite-strings -Wvla -Wno-missing-field-initializers
ifdef WERROR
WARNINGS += -Werror
endif

# The binary allocates with jemalloc: a build makes millions of small,
# short-lived values on several threads, where glibc's malloc spent a
# third of the time (see README «Производительность»). Sanitizer builds
# keep the C library's malloc, which the sanitizers replace.
ifdef SANITIZE
B        ?= build/san
SANFLAGS := -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
MALLOC_LIBS :=
else
B        ?= build
SANFLAGS :=
MALLOC_LIBS := $(shell pkg-config --libs jemalloc 2>/dev/null)
endif
MALLOC_FLAGS := $(if $(MALLOC_LIBS),-DPK_WITH_JEMALLOC)

PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lpthread -lm
TEST_CFLAGS := $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
TEST_LIBS   := $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

ALL_CFLAGS = $(WARNINGS) $(CFLAGS) $(SANFLAGS) -D_GNU_SOURCE \
             -DPK_DATADIR='"$(DATADIR)"' $(MALLOC_FLAGS) -Isrc -I$(B)/gen $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

LIB_SRC  := $(filter-out src/cli/main.c,$(wildcard src/*/*.c))
GEN_SRC  := $(B)/gen/embedded.c
LIB_OBJ  := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/embedded.o
LIB      := $(B)/libpraktika.a
BIN      := $(B)/praktika

EMBED_FILES := $(sort $(wildcard src/content/vocab/*.yaml))

UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
SPEC_SRC   := $(wildcard tests/spec/*.c)
SPEC_BINS  := $(SPEC_SRC:tests/spec/%.c=$(B)/tests/spec_%)
TEST_HELPER_SRC := $(wildcard tests/lib/*.c)
TEST_HELPER_OBJ := $(TEST_HELPER_SRC:%.c=$(B)/%.o)
BENCH_SRC  := $(wildcard bench/*.c)
BENCH_BINS := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

.PHONY: all run check unit valgrind bench install uninstall clean golden-update deps FORCE
.DEFAULT_GOAL := all

all: $(BIN)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(GEN_SRC): scripts/embed.sh $(EMBED_FILES)
	@mkdir -p $(dir $@)
	sh scripts/embed.sh $(EMBED_FILES) > $@.tmp && mv $@.tmp $@

$(B)/gen/embedded.o: $(GEN_SRC)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(B)/src/cli/main.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(MALLOC_LIBS)

$(B)/tests/%: tests/unit/%.c $(LIB) $(TEST_HELPER_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Itests/lib -o $@ $< $(TEST_HELPER_OBJ) $(LIB) $(TEST_LIBS) $(PKG_LIBS) $(ALL_LDFLAGS)

$(B)/tests/spec_%: tests/spec/%.c $(LIB) $(TEST_HELPER_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -Itests/lib -o $@ $< $(TEST_HELPER_OBJ) $(LIB) $(PKG_LIBS) $(ALL_LDFLAGS)

$(B)/bench/%: bench/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(PKG_LIBS) $(ALL_LDFLAGS)

deps:
	sh scripts/install-deps.sh

run: deps
	$(MAKE) all
	$(BIN) build . -o public
	@echo "Сайт собран в public/. Посмотреть: python3 -m http.server -d public и откройте http://localhost:8000/"

unit: $(UNIT_BINS) $(SPEC_BINS)

check: unit $(BIN)
	sh tests/run.sh $(B)

valgrind: $(UNIT_BINS) $(SPEC_BINS)
	sh tests/run.sh --valgrind $(B)

bench: $(BENCH_BINS) $(BIN)
	sh bench/run.sh $(B)

golden-update: $(BIN)
	sh tests/golden/run-tests.sh $(B) --update
	sh tests/check/run-tests.sh $(B) --update

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(MANDIR)/man1
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/praktika
	cp -R themes/default $(DESTDIR)$(DATADIR)/themes/
	install -m 644 docs/praktika.1 $(DESTDIR)$(MANDIR)/man1/praktika.1

uninstall:
	rm -rf $(DESTDIR)$(BINDIR)/praktika $(DESTDIR)$(DATADIR) $(DESTDIR)$(MANDIR)/man1/praktika.1

clean:
	rm -rf build public

-include $(shell find $(B) -name '*.d' 2>/dev/null)
