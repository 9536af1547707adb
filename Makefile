# A thin, friendly wrapper around CMake. `make test` and `make run` do all set-up on a fresh
# Debian 12 machine (as root, or with sudo available).

BUILD ?= build
BUILD_ASAN ?= build-asan
PREFIX ?= /usr/local
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

# Debian 12 packages needed to build, test and run m2g.
DEPS := build-essential cmake pkg-config git ca-certificates python3 curl \
        libcurl4-openssl-dev libgit2-dev libsqlite3-dev sqlite3 libssl-dev \
        nlohmann-json3-dev libcli11-dev doctest-dev scdoc
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all build deps test test-asan run install bench fuzz lint format check-format man clean

all: build

deps:
	@missing=$$(for p in $(DEPS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $$missing"; \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# A configure that fails (say, before `make deps` installed a package) leaves a cache behind;
# remove it so the next `make build` configures again instead of building nothing.
$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) || { rm -f $@; exit 1; }

build: $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

test: deps
	$(MAKE) build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	cmake -S . -B $(BUILD_ASAN) -DCMAKE_BUILD_TYPE=Debug -DM2G_ENABLE_ASAN=ON -DM2G_ENABLE_UBSAN=ON $(CMAKE_FLAGS)
	cmake --build $(BUILD_ASAN) -j $(JOBS)
	cd $(BUILD_ASAN) && ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS)

# The real bot once a token is configured (environment or M2G_ENV_FILE); the demo against the
# bundled fakes otherwise.
run: deps
	$(MAKE) build
	@if [ -n "$$M2G_TELEGRAM_TOKEN$$M2G_TELEGRAM_TOKEN_FILE$$M2G_ENV_FILE" ]; then \
	  $(BUILD)/bin/m2g-bot run; \
	else \
	  echo "make run: no M2G_TELEGRAM_TOKEN (or M2G_ENV_FILE): running the demo"; \
	  $(BUILD)/bin/m2g-bot demo; \
	fi

install: build
	cmake --install $(BUILD) --prefix $(PREFIX)

bench: deps
	$(MAKE) build
	PATH="$(CURDIR)/$(BUILD)/bin:$$PATH" tests/bench/run.sh

# The parsers' libFuzzer harnesses (tests/fuzz), FUZZ_SECONDS in all (about 6 s each for 14
# harnesses, plus the 1 MiB runs of the JSON ones: see tests/fuzz/run.sh).
fuzz: deps
	$(MAKE) deps DEPS="clang libclang-rt-14-dev"
	cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DM2G_BUILD_FUZZERS=ON -DM2G_ENABLE_ASAN=ON -DM2G_ENABLE_UBSAN=ON \
	  $$(command -v ccache > /dev/null && echo -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
	cmake --build build-fuzz -j $(JOBS) --target fuzzers
	tests/fuzz/run.sh build-fuzz/fuzz $${FUZZ_SECONDS:-120}

man:
	@for f in man/*.scd; do scdoc < $$f > $${f%.scd}; done

# Formatting and shell lints (CI runs this).
lint: deps
	$(MAKE) deps DEPS="clang-format shellcheck"
	$(MAKE) check-format
	shellcheck -s bash -S warning -e SC1091,SC2154 cmd/m2g-bot/m2g-bot tests/cli/common.sh tests/cli/*/*.sh completions/m2g.bash tests/fuzz/run.sh .ci/run

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')

check-format:
	clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf $(BUILD) $(BUILD_ASAN) build-fuzz
