# yojin's front door. The README names two targets: `make run` and `make test`.
#   make run    install what is missing, build, and start the web console with ./var
#   make test   install, build with ASan+UBSan, run every test (unit, cases, tty, report, fuzz replay)
#   make bench  comparisons with peers (bench/)
#   make lint   cppcheck and the catalog check
#   make fuzz   build the libFuzzer targets with clang and run each for FUZZ_SECONDS
SHELL := /bin/sh
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
DATA ?= $(CURDIR)/var
FUZZ_SECONDS ?= 60

.PHONY: all deps build build-asan run test bench lint fuzz clean

all: build

deps:
	@./scripts/deps.sh

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DYJ_TESTS=OFF >/dev/null
	@cmake --build build -j$(JOBS)

build-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DYJ_SANITIZE=ON >/dev/null
	@cmake --build build-asan -j$(JOBS)

run: build
	@mkdir -p "$(DATA)"
	@./build/yojin --data "$(DATA)" serve

test: build-asan
	@cd build-asan && ctest --output-on-failure -j$(JOBS)

bench: build
	@for b in bench/*.sh; do [ -x "$$b" ] && "$$b" || true; done

lint: deps
	@python3 tests/i18n/check_catalogs.py
	@cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
		--std=c11 -D_GNU_SOURCE --suppress=missingIncludeSystem --inline-suppr \
		-I build/inc/base src

fuzz: deps
	@cmake -S . -B build-fuzz -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DYJ_FUZZ=ON >/dev/null
	@cmake --build build-fuzz -j$(JOBS) --target fuzz_targets
	@# New inputs go to build-fuzz/new/<name>; the committed corpus is only read.
	@for t in build-fuzz/tests/fuzz/fuzz_*; do \
		name=$$(basename $$t); n=$${name#fuzz_}; mkdir -p build-fuzz/new/$$n; \
		echo "== $$name ($(FUZZ_SECONDS)s)"; \
		UBSAN_OPTIONS=halt_on_error=1 $$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 \
			build-fuzz/new/$$n tests/fuzz/corpus/$$n || exit 1; \
	done

clean:
	rm -rf build build-asan build-fuzz
