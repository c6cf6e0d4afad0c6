# A thin front over the CMake presets; `make demo` and `make check` are README's quick start.
PRESET ?= dev
BUILD := build/$(PRESET)
REFNET := $(BUILD)/refnet
DEMO_HOME := $(CURDIR)/build/demo-home

.PHONY: all deps test-deps configure build demo check check-postgresql test asan tsan fuzz release \
        bench bench-postgresql format \
        format-check schema clean

all: build

deps:
	@./.ci/deps

test-deps:
	@./.ci/deps --test

# Configured again when the presets change, so a build tree picks up a new cache variable.
$(BUILD)/CMakeCache.txt: CMakePresets.json
	cmake --preset $(PRESET)
	@touch $@

configure: $(BUILD)/CMakeCache.txt

build: deps configure
	cmake --build --preset $(PRESET)

# A demo network in a scratch home: the nightly overdue report, then the contact list.
demo: build
	@rm -rf $(DEMO_HOME) && mkdir -p $(DEMO_HOME)
	@HOME=$(DEMO_HOME) XDG_CONFIG_HOME= XDG_DATA_HOME= REFNET_DB= REFNET_CONFIG= $(REFNET) demo --seed 42
	@echo
	@HOME=$(DEMO_HOME) XDG_CONFIG_HOME= XDG_DATA_HOME= REFNET_DB= REFNET_CONFIG= $(REFNET) report overdue
	@echo
	@HOME=$(DEMO_HOME) XDG_CONFIG_HOME= XDG_DATA_HOME= REFNET_DB= REFNET_CONFIG= $(REFNET) list contacts

# Every test on SQLite, then the end-to-end suites again on PostgreSQL, in a throwaway cluster
# that pg_virtualenv (postgresql-common) starts and removes, as root too. The sanitizer builds
# run the SQLite pass only: the PostgreSQL one would run the same code of refnet's again; tsan
# runs only what starts a second thread (CTest label threads, tests/CMakeLists.txt).
check: test-deps build
	ctest --preset $(PRESET) -LE postgresql
	$(MAKE) check-postgresql

check-postgresql:
	pg_virtualenv sh -c 'ctest --preset $(PRESET) -L postgresql'

test: build
	ctest --preset $(PRESET) -LE postgresql

asan: test-deps
	$(MAKE) build PRESET=asan
	ctest --preset asan -LE postgresql

tsan: test-deps
	$(MAKE) build PRESET=tsan
	ctest --preset tsan -L threads

# Every libFuzzer target for FUZZ_SECONDS each (clang, the fuzz preset).
FUZZ_SECONDS ?= 20
fuzz:
	./tests/fuzz/run $(FUZZ_SECONDS)

release:
	$(MAKE) build PRESET=release

# The full benchmark (tests/bench/bench.py) on an optimised build: about a quarter of an hour.
bench: test-deps
	$(MAKE) build PRESET=release
	/usr/bin/python3 tests/bench/bench.py --refnet build/release/refnet --csv build/bench.csv

# The same on PostgreSQL, in a throwaway cluster that syncs to disk as a server does
# (pg_virtualenv turns fsync off by default), against psql.
bench-postgresql: test-deps
	$(MAKE) build PRESET=release
	pg_virtualenv -o fsync=on /usr/bin/python3 tests/bench/bench.py --postgresql \
	  --refnet build/release/refnet --csv build/bench-postgresql.csv

# Every C++ source as clang-format 14 lays it out (.clang-format); format-check changes nothing
# and fails on the first file it would change, for CI.
CLANG_FORMAT ?= clang-format-14
FORMATTED = $(wildcard $(shell git ls-files --cached --others --exclude-standard '*.cpp' '*.hpp' '*.inc' '*.h'))
format:
	$(CLANG_FORMAT) -i $(FORMATTED)

format-check: test-deps
	@$(CLANG_FORMAT) --dry-run -Werror $(FORMATTED) && echo 'format-check: every file is laid out'

# src/store/sqlite/schema.sql written again from the migrations (a unit test checks the two agree).
schema: build
	REFNET_WRITE_SCHEMA=1 $(BUILD)/tests/refnet_unit --test-case='schema.sql*'

clean:
	rm -rf build
