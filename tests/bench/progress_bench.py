"""m2g-progress benchmark: job time with progress on vs off, and the confirmation budget.

Each job is two input lines, as m2g-route writes them: a "queued" progress event and the job.
m2g-teststage stands in for the slow middle stages: it answers each job after DELAY_MS with a
"committing" progress event and a result. Progress off is

    input | m2g-teststage --delay-ms X --progress

and progress on appends "| m2g-progress" talking to the fake Telegram (every sendMessage and
editMessageText delayed by LATENCY, Telegram's limits of 30/s overall and 1/s per chat). The
job time of a run is when its last result line comes out of the pipeline. Runs alternate
off/on; the ratio is taken per pair, then the median.
"""

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

N = int(os.environ.get("N", "100"))
DELAY_MS = int(os.environ.get("DELAY_MS", "1000"))
RUNS = int(os.environ.get("RUNS", "5"))
LATENCY = os.environ.get("LATENCY", "200ms")
BUDGET_N = int(os.environ.get("BUDGET_N", "1000"))
EVENTS_CHATS = int(os.environ.get("EVENTS_CHATS", "1000"))
EVENTS_PER_CHAT = int(os.environ.get("EVENTS_PER_CHAT", "10"))
EVENTS_RUNS = int(os.environ.get("EVENTS_RUNS", "3"))
TAIL_N = int(os.environ.get("TAIL_N", "10000"))
TAIL_RUNS = int(os.environ.get("TAIL_RUNS", "0"))
TAIL_CHUNK = int(os.environ.get("TAIL_CHUNK", "500"))
TOKEN = "123456:bench-token"
FIRST_CHAT = 1000


def start_fake(limits=(), latency=None):
    latency = LATENCY if latency is None else latency
    fake = subprocess.Popen(
        ["m2g-bench", "fake", "telegram", "--port", "0",
         "--latency", "editMessageText=" + latency, "--latency", "sendMessage=" + latency] + list(limits),
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(fake.stdout.readline())
    return fake, "http://127.0.0.1:%d" % port


def control(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + "/control/" + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)


def make_input(n, chats):
    lines = []
    for i in range(n):
        chat = FIRST_CHAT + i % chats
        shared = {"v": 1, "id": "%d:%d" % (chat, i), "chat_id": chat, "message_id": 1}
        lines.append(json.dumps(dict(shared, kind="progress", stage="m2g-route", step="queued")))
        lines.append(json.dumps(dict(shared, kind="job", op="add", target="note", text="note %d" % i)))
    return ("\n".join(lines) + "\n").encode()


def run(url, n, chats, on, extra=""):
    """One pipeline run: (seconds until the last result line, seconds until exit)."""
    control(url, "POST", "reset", {})
    control(url, "POST", "bulk", {"count": chats, "chats": chats, "first_chat_id": FIRST_CHAT, "prefix": "m"})
    command = "m2g-teststage --delay-ms %d --progress" % DELAY_MS
    if on:
        command += " | m2g-progress --log-level warn " + extra
    env = dict(os.environ, M2G_TELEGRAM_TOKEN=TOKEN, M2G_TELEGRAM_API_URL=url)
    data = make_input(n, chats)
    start = time.monotonic()
    pipeline = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
    pipeline.stdin.write(data)
    pipeline.stdin.close()
    results, last_result = 0, None
    for line in pipeline.stdout:
        if b'"kind":"result"' in line:
            results += 1
            if results == n:
                last_result = time.monotonic() - start
    pipeline.wait()
    end = time.monotonic() - start
    if results != n or pipeline.returncode != 0:
        sys.exit("run failed: %d of %d results, exit %d" % (results, n, pipeline.returncode))
    return last_result, end


def make_events(chats, per_chat):
    """per_chat - 1 progress events (pct rising) and a result per chat, in rounds over the chats."""
    lines = []
    for k in range(per_chat):
        for c in range(chats):
            chat = FIRST_CHAT + c
            shared = {"v": 1, "id": "%d:1" % chat, "chat_id": chat, "message_id": 1}
            if k + 1 < per_chat:
                pct = 5 + 90 * k // max(1, per_chat - 1)
                lines.append(json.dumps(dict(shared, kind="progress", step="title", pct=pct)))
            else:
                lines.append(json.dumps(dict(shared, kind="result", file="note.md")))
    return ("\n".join(lines) + "\n").encode()


def run_events(url, chats, per_chat):
    """m2g-progress alone fed chats * per_chat events at once:
    (seconds until every line is out, seconds until exit = last end state delivered)."""
    control(url, "POST", "reset", {})
    control(url, "POST", "bulk", {"count": chats, "chats": chats, "first_chat_id": FIRST_CHAT, "prefix": "m"})
    env = dict(os.environ, M2G_TELEGRAM_TOKEN=TOKEN, M2G_TELEGRAM_API_URL=url)
    data = make_events(chats, per_chat)
    start = time.monotonic()
    progress = subprocess.Popen(["m2g-progress", "--log-level", "warn"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, env=env)
    progress.stdin.write(data)
    progress.stdin.close()
    lines, all_out = 0, None
    for _ in progress.stdout:
        lines += 1
        if lines == chats * per_chat:
            all_out = time.monotonic() - start
    progress.wait()
    end = time.monotonic() - start
    if lines != chats * per_chat or progress.returncode != 0:
        sys.exit("events run failed: %d lines out, exit %d" % (lines, progress.returncode))
    return all_out, end


def proc_cpu_s(pid):
    """User + system CPU seconds of a live process."""
    with open("/proc/%d/stat" % pid) as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_status_kb(pid, key):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def compact(line):
    """A line as the stages write it: no spaces, UTF-8."""
    return json.dumps(line, separators=(",", ":"), ensure_ascii=False)


def queue_put(db, lines):
    """Store `lines` in topic chat of `db` (one m2g-queue put, one transaction); returns when
    they are visible to readers."""
    subprocess.run(["m2g-queue", "put", "--sync", "normal", "--topic", "chat", db],
                   input=("\n".join(lines) + "\n").encode(), check=True)


def run_tail(url, n):
    """The end of realistic-10k as m2g-progress sees it, alone: n chats whose status messages
    were sent, then their n results written to its input queue within ~n/60 ms, chunk by
    chunk, as m2g-commit does after its push. Returns (ms from the last result written to the
    queue to its leaving m2g-progress, worst such gap, CPU microseconds per result line,
    peak RSS MB, peak anonymous RSS MB)."""
    control(url, "POST", "reset", {})
    control(url, "POST", "bulk", {"count": n, "chats": n, "first_chat_id": FIRST_CHAT, "prefix": "m"})
    work = tempfile.mkdtemp(prefix="m2g-progress-tail.")
    db = os.path.join(work, "queue.db")
    queue_put(db, [])
    # Keep the WAL file there, as the bot's other stages do: m2g-progress hears of new lines by
    # inotify on it, and one created after it started is only seen by its 1 s fallback tick.
    keeper = sqlite3.connect(db)
    keeper.execute("SELECT count(*) FROM sqlite_master").fetchall()
    env = dict(os.environ, M2G_TELEGRAM_TOKEN=TOKEN, M2G_TELEGRAM_API_URL=url)
    progress = subprocess.Popen(["m2g-progress", "--log-level", "warn", "--global-rate", "1000",
                                 "--in", "sqlite:%s#chat" % db, "--out", "-"], stdout=subprocess.PIPE, env=env)
    out_at = {}
    def read():
        for line in progress.stdout:
            if b'"kind":"result"' in line:
                out_at[json.loads(line)["id"]] = time.monotonic()
    reader = threading.Thread(target=read)
    reader.start()
    peak_anon = 0
    def sample():
        nonlocal peak_anon
        try:
            peak_anon = max(peak_anon, proc_status_kb(progress.pid, "RssAnon"))
        except OSError:
            pass
    # Each chat's status message first (the "queued" state), as in the bot's first second.
    jobs = [{"v": 1, "id": "%d:1" % (FIRST_CHAT + c), "chat_id": FIRST_CHAT + c, "message_id": 1, "t0": 0,
             "target": "inbox", "user_id": FIRST_CHAT + c} for c in range(n)]
    queue_put(db, [compact(dict(job, kind="progress", stage="m2g-route", step="queued", pct=5,
                                 text="Saving to inbox.md…")) for job in jobs])
    while control(url, "GET", "stats")["requests"].get("sendMessage", 0) < n:
        sample()
        time.sleep(0.05)
    time.sleep(1.1)  # every chat's token back, as 2 s after its last edit in the bot
    cpu_before = proc_cpu_s(progress.pid)
    written_at = {}
    for start in range(0, n, TAIL_CHUNK):
        chunk = jobs[start:start + TAIL_CHUNK]
        queue_put(db, [compact(dict(job, kind="result", commit="76cf2cb6c7858ff09c1c5d8f767dca507eaed32d",
                                       duplicate=False, file="inbox.md", title="Bench note %s" % job["id"],
                                       url="https://github.com/bench/notebook/blob/main/inbox.md",
                                       ts=int(time.time() * 1000))) for job in chunk])
        now = time.monotonic()
        for job in chunk:
            written_at[job["id"]] = now
        sample()
    while len(out_at) < n and progress.poll() is None:
        sample()
        time.sleep(0.002)
    cpu = proc_cpu_s(progress.pid) - cpu_before
    hwm = proc_status_kb(progress.pid, "VmHWM")
    while control(url, "GET", "stats")["requests"].get("editMessageText", 0) < n:
        sample()
        time.sleep(0.05)
    progress.terminate()
    reader.join()
    progress.wait()
    keeper.close()
    subprocess.run(["rm", "-rf", work], check=True)
    if len(out_at) != n or progress.returncode != 0:
        sys.exit("tail run failed: %d of %d results out, exit %d" % (len(out_at), n, progress.returncode))
    gaps = [(out_at[i] - written_at[i]) * 1000 for i in written_at]
    last = max(written_at, key=lambda i: (written_at[i], out_at[i]))
    return (out_at[last] - written_at[last]) * 1000, max(gaps), cpu * 1e6 / n, hwm / 1024, peak_anon / 1024


def telegram_record(url, chats):
    """(calls made, most calls into one message, chats whose every message ends on ✅)."""
    requests = control(url, "GET", "stats")["requests"]
    calls = requests.get("sendMessage", 0) + requests.get("editMessageText", 0)
    most, ok = 0, 0
    for chat in range(FIRST_CHAT, FIRST_CHAT + chats):
        messages = control(url, "GET", "chat?chat_id=%d" % chat)["messages"]
        most = max([most] + [1 + len(m["edits"]) for m in messages])
        ok += 1 if messages and all(m["text"].startswith("✅") for m in messages) else 0
    return calls, most, ok


def main():
    fake, url = start_fake()
    try:
        if TAIL_RUNS > 0:
            tail_fake, tail_url = start_fake(["--global-rate", "1000", "--global-burst", "1000"], "0ms")
            try:
                print("## tail: %d results written to the input queue in chunks of %d, after %d status messages "
                      "(--global-rate 1000)" % (TAIL_N, TAIL_CHUNK, TAIL_N))
                runs = []
                for _ in range(TAIL_RUNS):
                    runs.append(run_tail(tail_url, TAIL_N))
                    print("  run: last result out %.1f ms after it was written, worst %.1f ms, %.1f µs CPU per result, "
                          "peak RSS %.1f MB (anonymous %.1f MB)" % runs[-1], file=sys.stderr)
            finally:
                tail_fake.terminate()
                tail_fake.wait()
            print("| figure | median of %d |" % TAIL_RUNS)
            print("|---|---|")
            print("| last result out after it was written to the queue | %.1f ms |" % statistics.median(r[0] for r in runs))
            print("| worst result | %.1f ms |" % statistics.median(r[1] for r in runs))
            print("| CPU per result line (m2g-progress, while they pass) | %.1f µs |"
                  % statistics.median(r[2] for r in runs))
            print("| peak RSS | %.1f MB |" % statistics.median(r[3] for r in runs))
            print("| peak anonymous RSS | %.1f MB |" % statistics.median(r[4] for r in runs))
            print()
        if EVENTS_RUNS > 0:
            n = EVENTS_CHATS * EVENTS_PER_CHAT
            print("## coalescing: %d progress events (%d per chat, the last a result) for %d chats, "
                  "Telegram latency %s, limits 30/s overall and 1/s per chat" % (n, EVENTS_PER_CHAT, EVENTS_CHATS, LATENCY))
            outs, ends, calls_runs, ok_runs, most_runs = [], [], [], [], []
            for _ in range(EVENTS_RUNS):
                out, end = run_events(url, EVENTS_CHATS, EVENTS_PER_CHAT)
                calls, most, ok = telegram_record(url, EVENTS_CHATS)
                outs.append(out)
                ends.append(end)
                calls_runs.append(calls)
                most_runs.append(most)
                ok_runs.append(ok)
                print("  run: all lines out %.3f s, last ✅ %.3f s, %d calls, max %d per message, %d/%d chats ✅"
                      % (out, end, calls, most, ok, EVENTS_CHATS), file=sys.stderr)
            print("| figure | median of %d |" % EVENTS_RUNS)
            print("|---|---|")
            print("| events in | %d |" % n)
            print("| Telegram calls made (sendMessage + editMessageText) | %d |" % statistics.median(calls_runs))
            print("| calls per event | %.3f |" % (statistics.median(calls_runs) / n))
            print("| most calls into one status message | %d |" % statistics.median(most_runs))
            print("| every line passed on after | %.3f s |" % statistics.median(outs))
            print("| last ✅ delivered (exit) after | %.3f s |" % statistics.median(ends))
            print("| bound: one call per chat at 30/s | %.3f s |" % (EVENTS_CHATS / 30.0))
            print("| chats ending on ✅ | %d / %d |" % (statistics.median(ok_runs), EVENTS_CHATS))
            print()
        if RUNS == 0:
            return
        print("## progress on vs off: %d jobs in %d chats, job time %d ms, Telegram latency %s"
              % (N, N, DELAY_MS, LATENCY))
        offs, ons, ratios, exits = [], [], [], []
        calls = most = ok = 0
        for _ in range(RUNS):
            off, _ = run(url, N, N, False)
            on, end = run(url, N, N, True)
            calls, most, ok = telegram_record(url, N)
            offs.append(off)
            ons.append(on)
            exits.append(end)
            ratios.append(on / off)
            print("  run: off %.3f s, on %.3f s (ratio %.4f), last ✅ at %.3f s, %d calls, max %d per message, "
                  "%d/%d chats ✅" % (off, on, on / off, end, calls, most, ok, N), file=sys.stderr)
        print("| figure | median of %d |" % RUNS)
        print("|---|---|")
        print("| last result out, progress off | %.3f s |" % statistics.median(offs))
        print("| last result out, progress on | %.3f s |" % statistics.median(ons))
        print("| ratio on/off (per pair) | %.4f |" % statistics.median(ratios))
        print("| m2g-progress exits (last ✅ delivered) | %.3f s |" % statistics.median(exits))
        print("| Telegram calls per job (last run) | %.2f |" % (calls / N))
        print("| most calls into one status message (last run) | %d |" % most)
        print("| chats ending on ✅ (last run) | %d / %d |" % (ok, N))
        if BUDGET_N > 0:
            print()
            print("## confirmation budget: %d jobs in %d chats at 30 messages/s" % (BUDGET_N, BUDGET_N))
            last, end = run(url, BUDGET_N, BUDGET_N, True)
            calls, most, ok = telegram_record(url, BUDGET_N)
            print("| figure | one run |")
            print("|---|---|")
            print("| last result out | %.3f s |" % last)
            print("| last ✅ delivered | %.3f s |" % end)
            print("| bound: one call per job at 30/s | %.3f s |" % (BUDGET_N / 30.0))
            print("| Telegram calls per job | %.3f |" % (calls / BUDGET_N))
            print("| chats ending on ✅ | %d / %d |" % (ok, BUDGET_N))
    finally:
        fake.terminate()
        fake.wait()


if __name__ == "__main__":
    main()
