"""Side-by-side comparison of our redaction engine with Microsoft Presidio.

Run it from the repository with the project's virtualenv::

    .venv/bin/python bench/compare_presidio.py --corpus CORPUS.jsonl --scorer score_corpus.py

The corpus is a labelled JSONL file (``id``, ``text``, optional ``conversation`` and
``sender``, plus the labels); the scorer is a script taking ``--corpus``, ``--pred`` and
``--json``. The script

1. creates ``.venv-presidio`` once (git-ignored; reused while its pins match) with
   presidio-analyzer and spaCy, because Presidio is a yardstick, not a dependency;
2. runs Presidio's contact recognizers (phones in ten regions, emails, URLs; it has no
   handle recognizer) over the corpus in a subprocess inside that virtualenv, offline:
   a blank spaCy pipeline saved to disk and loaded by path, and no public-suffix download;
3. runs our engine over the same messages: ``python -m redaction scan`` for the
   predictions (the path the product uses, with retroactive masking of split attempts)
   and an in-process loop through ``Redactor.redact`` for throughput;
4. scores both with the given scorer and prints a Markdown table side by side.

Each engine is timed in its own single process, after one untimed warm-up pass, over
``--repeat`` passes of the whole corpus; the figure is the fastest pass, because on a
shared machine slower passes measure the other processes, not the engine. Messages are fed
in file order with their conversation and sender, as a live chat would deliver them.

Only the standard library is imported at module level: the same file is the worker that
runs inside the Presidio virtualenv, which has none of the project's packages.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PRESIDIO_VENV = REPO / ".venv-presidio"
DEFAULT_OUT = REPO / "bench" / "out" / "presidio-comparison"

# Pinned so that figures recorded in docs/ can be reproduced; spaCy matches the project's pin.
PRESIDIO_REQUIREMENTS = ("presidio-analyzer==2.2.366", "spacy==3.8.18")
INSTALL_STAMP = "compare-presidio.installed"
BLANK_PIPELINE = "blank-en"

# The regions a marketplace with mostly Indian, Gulf, Western and Pakistani users meets.
PHONE_REGIONS = ("IN", "US", "GB", "AE", "SG", "AU", "CA", "DE", "FR", "PK")
# Presidio entity -> our type. Presidio has no recognizer for external handles.
PRESIDIO_TYPES = {"PHONE_NUMBER": "phone", "EMAIL_ADDRESS": "email", "URL": "url"}
DETAIL_TYPES = ("phone", "email", "url", "handle")
# Corpus tags whose figures are already the per-type and overall rows of the table.
REPEATED_TAGS = frozenset({*DETAIL_TYPES, "negative"})


class CompareError(Exception):
    """A failure the user can act on; reported as one message and a non-zero exit."""


@dataclass(frozen=True, slots=True)
class Message:
    id: str
    text: str
    conversation: str | None = None
    sender: str | None = None

    def as_input(self) -> dict[str, str]:
        """The line an engine may see: the message without the corpus labels."""
        line = {"id": self.id, "text": self.text}
        if self.conversation is not None:
            line["conversation"] = self.conversation
        if self.sender is not None:
            line["sender"] = self.sender
        return line


@dataclass(frozen=True, slots=True)
class Timing:
    """Seconds per timed pass over the corpus, by the wall clock and by CPU time.

    CPU time is the per-core figure and holds on a busy machine; the wall clock also
    counts the time spent waiting for a core. Either way the fastest pass is taken.
    """

    messages: int
    wall_seconds: tuple[float, ...]
    cpu_seconds: tuple[float, ...]

    @property
    def wall_rate(self) -> float:
        return self.messages / min(self.wall_seconds)

    @property
    def cpu_rate(self) -> float:
        return self.messages / min(self.cpu_seconds)


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything one run measured; ``summary.json`` is this object."""

    scores: dict[str, dict]
    timings: dict[str, Timing]
    scan_seconds: float
    load_average: float
    engine_version: str


def load_corpus(path: Path) -> list[Message]:
    """Read a corpus, naming the first line that is not a message."""
    try:
        # Not splitlines(): U+2028 and friends may stand unescaped inside JSON strings.
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise CompareError(f"cannot read corpus {path}: {exc}") from exc
    messages = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CompareError(f"{path} line {number}: invalid JSON ({exc})") from exc
        if not isinstance(record, dict):
            raise CompareError(f"{path} line {number}: expected a JSON object")
        for key in ("id", "text"):
            if not isinstance(record.get(key), str):
                raise CompareError(f"{path} line {number}: missing or non-string {key!r}")
        messages.append(
            Message(
                id=record["id"],
                text=record["text"],
                conversation=_optional_str(record.get("conversation")),
                sender=_optional_str(record.get("sender")),
            )
        )
    if not messages:
        raise CompareError(f"corpus {path} holds no messages")
    return messages


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def write_jsonl(path: Path, records: Sequence[dict]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def time_passes(
    make_analyse: Callable[[], Callable[[Message], object]],
    messages: Sequence[Message],
    repeat: int,
) -> tuple[Timing, list[object]]:
    """Time ``repeat`` passes over the messages after one warm-up pass.

    ``make_analyse`` is called, untimed, before every pass so that a stateful engine
    starts each pass with an empty window, as it would on a fresh stream. Returns the
    timing and the warm-up pass's outputs.
    """
    analyse = make_analyse()
    outputs = [analyse(message) for message in messages]
    wall, cpu = [], []
    for _ in range(repeat):
        analyse = make_analyse()
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        for message in messages:
            analyse(message)
        cpu.append(time.process_time() - cpu_start)
        wall.append(time.perf_counter() - wall_start)
    return Timing(len(messages), tuple(wall), tuple(cpu)), outputs


# --- workers: each runs in its own process, in the virtualenv of the engine it times ---


def presidio_worker(messages: Sequence[Message], pred_path: Path, repeat: int) -> Timing:
    """Run Presidio's contact recognizers offline; write predictions and time them."""
    # tldextract (used by the email recognizer) would fetch the public suffix list.
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import (
        EmailRecognizer,
        PhoneRecognizer,
        UrlRecognizer,
    )

    # Presidio downloads any model name that is not an installed package or a path, so
    # a blank pipeline saved inside the virtualenv is loaded by its path.
    pipeline = Path(sys.prefix) / BLANK_PIPELINE
    if not pipeline.exists():
        spacy.blank("en").to_disk(pipeline)
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": "en", "model_name": str(pipeline)}],
        }
    ).create_engine()
    registry = RecognizerRegistry(
        recognizers=[
            PhoneRecognizer(supported_regions=list(PHONE_REGIONS)),
            EmailRecognizer(),
            UrlRecognizer(),
        ]
    )
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp_engine)
    entities = list(PRESIDIO_TYPES)

    def make_analyse() -> Callable[[Message], object]:
        return lambda message: analyzer.analyze(message.text, language="en", entities=entities)

    timing, outputs = time_passes(make_analyse, messages, repeat)
    write_jsonl(
        pred_path,
        [
            {
                "id": message.id,
                "spans": [
                    {"start": r.start, "end": r.end, "type": PRESIDIO_TYPES[r.entity_type]}
                    for r in sorted(results, key=lambda r: (r.start, r.end))
                ],
            }
            for message, results in zip(messages, outputs, strict=True)
        ],
    )
    return timing


def engine_worker(messages: Sequence[Message], repeat: int) -> Timing:
    """Time our engine in process, through the per-conversation window."""
    from redaction import Redactor
    from redaction.types import Context

    # The context is built per message inside the timed loop, as the gateway does.
    def make_analyse() -> Callable[[Message], object]:
        redactor = Redactor()
        return lambda m: redactor.redact(
            m.text, Context(conversation=m.conversation, sender=m.sender, message_id=m.id)
        )

    timing, _ = time_passes(make_analyse, messages, repeat)
    return timing


def run_worker(kind: str, corpus: Path, pred: Path | None, repeat: int) -> None:
    messages = load_corpus(corpus)
    if kind == "presidio":
        assert pred is not None, "the Presidio worker writes predictions"
        timing = presidio_worker(messages, pred, repeat)
    else:
        timing = engine_worker(messages, repeat)
    print(json.dumps(asdict(timing)))


# --- the driver, in the project's virtualenv ---


def venv_python(venv: Path) -> Path:
    return venv / "bin" / "python"


def ensure_presidio_venv(venv: Path) -> Path:
    """Create the Presidio virtualenv unless one with the same pins is already there."""
    stamp = venv / INSTALL_STAMP
    wanted = "\n".join(PRESIDIO_REQUIREMENTS) + "\n"
    python = venv_python(venv)
    if python.exists() and stamp.exists() and stamp.read_text() == wanted:
        return python
    log(f"installing {', '.join(PRESIDIO_REQUIREMENTS)} into {venv} (once)")
    if not python.exists():
        run_checked([sys.executable, "-m", "venv", str(venv)], "creating the Presidio virtualenv")
    run_checked(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *PRESIDIO_REQUIREMENTS,
        ],
        f"installing Presidio into {venv}",
    )
    stamp.write_text(wanted)
    return python


def run_checked(
    command: Sequence[str],
    what: str,
    *,
    stdin: Path | None = None,
    stdout: Path | None = None,
    env: dict[str, str] | None = None,
) -> str:
    """Run a command from the repository; on failure raise with the tail of its errors.

    Returns the captured standard output, or "" when it went to the ``stdout`` file.
    """
    with ExitStack() as files:
        proc = subprocess.run(
            command,
            stdin=files.enter_context(stdin.open("rb")) if stdin else subprocess.DEVNULL,
            stdout=files.enter_context(stdout.open("wb")) if stdout else subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO,
            env=env,
            check=False,
        )
    if proc.returncode != 0:
        tail = "\n".join(proc.stderr.decode(errors="replace").strip().splitlines()[-20:])
        raise CompareError(f"{what} failed (exit {proc.returncode}):\n{tail}")
    return (proc.stdout or b"").decode()


def timing_from(output: str, what: str) -> Timing:
    try:
        record = json.loads(output.strip().splitlines()[-1])
        return Timing(
            int(record["messages"]),
            tuple(map(float, record["wall_seconds"])),
            tuple(map(float, record["cpu_seconds"])),
        )
    except (IndexError, KeyError, TypeError, ValueError) as exc:
        raise CompareError(f"{what} printed no timing: {output[-500:]!r}") from exc


def score(scorer: Path, corpus: Path, pred: Path) -> dict:
    output = run_checked(
        [sys.executable, str(scorer), "--corpus", str(corpus), "--pred", str(pred), "--json"],
        f"scoring {pred.name} with {scorer}",
    )
    try:
        return json.loads(output)
    except json.JSONDecodeError as exc:
        raise CompareError(f"{scorer} --json did not print JSON: {output[:300]!r}") from exc


def log(message: str) -> None:
    print(f"compare_presidio: {message}", file=sys.stderr, flush=True)


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def report(run: Comparison) -> str:
    """The side-by-side table, in Markdown so it can be pasted into docs/."""
    presidio, ours = run.scores["presidio"], run.scores["ours"]

    def row(name: str, pick: Callable[[dict], float | None]) -> tuple[str, str, str]:
        return name, percent(pick(presidio)), percent(pick(ours))

    rows = [
        row("span recall, all types", lambda s: s["overall"]["span_recall"]),
        *(
            row(f"span recall, {kind}", lambda s, kind=kind: s["by_type"][kind]["span_recall"])
            for kind in DETAIL_TYPES
        ),
        row("typed recall, all types", lambda s: s["overall"]["typed_recall"]),
        row("FP rate on negative messages", lambda s: s["overall"]["neg_fp_rate"]),
        row("precision", lambda s: s["overall"]["precision"]),
    ]
    # Recall on positive tags (disguises), FP rate on negative ones, as the scorer splits them;
    # tags that only repeat the rows above are left out.
    for tag, figures in sorted(ours["by_tag"].items()):
        if tag in REPEATED_TAGS:
            continue
        rows += [
            row(f"{label}, tag {tag}", lambda s, tag=tag, metric=metric: s["by_tag"][tag][metric])
            for metric, label in (("span_recall", "span recall"), ("neg_fp_rate", "FP rate"))
            if figures[metric] is not None
        ]
    presidio_speed, our_speed = run.timings["presidio"], run.timings["ours"]
    rate_presidio, rate_ours = presidio_speed.cpu_rate, our_speed.cpu_rate
    rows += [
        ("messages/s per core (CPU time)", f"{rate_presidio:,.0f}", f"{rate_ours:,.0f}"),
        (
            "messages/s (wall clock)",
            f"{presidio_speed.wall_rate:,.0f}",
            f"{our_speed.wall_rate:,.0f}",
        ),
        ("speed ratio, CPU time (ours / Presidio)", "1.0×", f"{rate_ours / rate_presidio:.1f}×"),
    ]
    targets = (
        ("≥10× Presidio's throughput", rate_ours >= 10 * rate_presidio),
        ("higher recall", ours["overall"]["span_recall"] > presidio["overall"]["span_recall"]),
        ("fewer FPs", ours["overall"]["neg_fp_rate"] < presidio["overall"]["neg_fp_rate"]),
    )
    return "\n".join(
        [
            "| metric | Presidio | ours |",
            "| --- | ---: | ---: |",
            *(f"| {name} | {theirs} | {mine} |" for name, theirs, mine in rows),
            "",
            f"Corpus: {ours['messages']} messages, {ours['overall']['gold_spans']} labelled "
            f"spans, {ours['overall']['neg_msgs']} negative messages; throughput is the fastest "
            f"of {len(our_speed.cpu_seconds)} timed passes; load average before the runs: "
            f"{run.load_average:.1f} on {os.cpu_count()} cores.",
            f"Our engine: {run.engine_version}. `python -m redaction scan` over the corpus: "
            f"{run.scan_seconds:.2f} s wall clock, including interpreter start-up and engine "
            "construction.",
            "Targets: "
            + ", ".join(f"{name} {'met' if met else 'NOT met'}" for name, met in targets),
        ]
    )


def compare(args: argparse.Namespace) -> str:
    corpus, scorer, out = args.corpus.resolve(), args.scorer.resolve(), args.out.resolve()
    messages = load_corpus(corpus)
    if not scorer.is_file():
        raise CompareError(f"scorer {scorer} is not a file")
    out.mkdir(parents=True, exist_ok=True)
    engine_input = out / "input.jsonl"
    write_jsonl(engine_input, [m.as_input() for m in messages])
    preds = {"presidio": out / "presidio.pred.jsonl", "ours": out / "ours.pred.jsonl"}
    worker = [
        str(Path(__file__).resolve()),
        "--corpus",
        str(engine_input),
        "--repeat",
        str(args.repeat),
    ]

    python = ensure_presidio_venv(args.presidio_venv.resolve())
    # Throughput is only comparable on a quiet machine; the report says how quiet it was.
    load = os.getloadavg()[0]
    log(f"running Presidio over {len(messages)} messages")
    speeds = {
        "presidio": timing_from(
            run_checked(
                [str(python), *worker, "--worker", "presidio", "--pred", str(preds["presidio"])],
                "the Presidio run",
            ),
            "the Presidio run",
        )
    }

    log("running our engine: python -m redaction scan")
    started = time.perf_counter()
    run_checked(
        [sys.executable, "-m", "redaction", "scan"],
        "python -m redaction scan",
        stdin=engine_input,
        stdout=preds["ours"],
    )
    scan_seconds = time.perf_counter() - started
    log("timing our engine in process")
    speeds["ours"] = timing_from(
        run_checked(
            [sys.executable, *worker, "--worker", "engine"],
            "the in-process run of our engine",
            env={**os.environ, "PYTHONPATH": str(REPO)},
        ),
        "the in-process run of our engine",
    )

    run = Comparison(
        scores={name: score(scorer, corpus, pred) for name, pred in preds.items()},
        timings=speeds,
        scan_seconds=scan_seconds,
        load_average=load,
        engine_version=engine_version(),
    )
    (out / "summary.json").write_text(json.dumps(asdict(run), indent=2))
    return report(run)


def engine_version() -> str:
    """The commit measured, flagged when ``redaction/`` differs from it (a shared tree)."""
    try:
        commit = run_checked(["git", "rev-parse", "--short", "HEAD"], "git rev-parse").strip()
        dirty = run_checked(["git", "status", "--porcelain", "--", "redaction"], "git status")
    except (CompareError, OSError):
        return "commit unknown (not a git checkout)"
    return f"commit {commit}" + (", with uncommitted changes in redaction/" if dirty else "")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Score and time our redaction engine side by side with Microsoft Presidio."
    )
    parser.add_argument("--corpus", type=Path, required=True, help="labelled JSONL corpus")
    parser.add_argument("--scorer", type=Path, help="scorer script taking --corpus --pred --json")
    parser.add_argument(
        "--presidio-venv",
        type=Path,
        default=DEFAULT_PRESIDIO_VENV,
        help="virtualenv for Presidio, created once (default: %(default)s)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="directory for predictions and summary.json (default: %(default)s)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="timed passes per engine (default: 5)"
    )
    # Internal: the same file runs as the timing worker inside each engine's virtualenv.
    parser.add_argument("--worker", choices=("presidio", "engine"), help=argparse.SUPPRESS)
    parser.add_argument("--pred", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    if args.worker is None and args.scorer is None:
        parser.error("--scorer is required")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.worker:
            run_worker(args.worker, args.corpus, args.pred, args.repeat)
        else:
            print(compare(args))
    except (CompareError, OSError) as exc:
        log(f"error: {exc}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
