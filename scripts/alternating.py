"""Used by bench-alternate.py: run commands in alternating rounds and collect each
Markdown table row's first numeric column (rows/s for `pretext bench train`, GFLOP/s for
`pretext bench gemm`).
The machine drifts by tens of percent within minutes, so only interleaved runs compare."""
import statistics
import subprocess
import sys


def first_numbers(output: str, column: int = 0) -> dict[str, float]:
    """Workload label → the first (or the `column`-th, from 0) numeric cell of its table row."""
    values = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not line.startswith("| ") or set(cells[1]) <= set("-:"):
            continue
        numbers = []
        for cell in cells[1:]:
            try:
                numbers.append(float(cell.replace(",", "").rstrip("%")))
            except ValueError:
                continue
        if len(numbers) > column:
            values[cells[0]] = numbers[column]
    return values


def alternate(commands: list[tuple[str, list[str], dict | None]], rounds: int,
              column: int | dict[str, int] = 0) -> dict[str, dict[str, list[float]]]:
    """Runs every (name, argv, environment) once per round, the order rotating between
    rounds; returns name → workload → values (numeric cell `column` of its row, or
    `column[name]`), one per round."""
    results: dict[str, dict[str, list[float]]] = {name: {} for name, _, _ in commands}
    for round_index in range(rounds):
        shift = round_index % len(commands)
        for name, argv, environment in commands[shift:] + commands[:shift]:
            finished = subprocess.run(argv, capture_output=True, text=True, env=environment)
            if finished.returncode != 0:
                sys.exit(f"{name}: {' '.join(argv)} failed ({finished.returncode}):\n{finished.stderr}")
            for workload, value in first_numbers(finished.stdout, column[name] if isinstance(column, dict) else column).items():
                results[name].setdefault(workload, []).append(value)
        print(f"round {round_index + 1}/{rounds} done", file=sys.stderr)
    return results


def spread(values: list[float]) -> str:
    """min–max (median), thousands separated."""
    return f"{min(values):,.0f}–{max(values):,.0f} ({statistics.median(values):,.0f})"
