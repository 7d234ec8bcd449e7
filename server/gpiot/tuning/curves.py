"""Loss curves per path as a PNG: the shared path (every batch), and each role's path."""

from __future__ import annotations

from pathlib import Path

from gpiot.tuning.train import StepRecord


def _smooth(values: list[float], window: int) -> list[float]:
    out, total = [], 0.0
    for i, v in enumerate(values):
        total += v
        if i >= window:
            total -= values[i - window]
        out.append(total / min(i + 1, window))
    return out


def plot_curves(history: list[StepRecord], path: Path, window: int = 10) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    roles = sorted({h.role for h in history})
    panels = [("shared (all batches)", history)] + [
        (f"{role} path", [h for h in history if h.role == role]) for role in roles
    ]
    fig, axes = plt.subplots(1, len(panels), figsize=(4.5 * len(panels), 3.2), squeeze=False)
    for ax, (title, records) in zip(axes[0], panels, strict=True):
        steps = [h.step for h in records]
        losses = [h.loss for h in records]
        ax.plot(steps, losses, alpha=0.3, linewidth=0.8)
        ax.plot(steps, _smooth(losses, window), linewidth=1.6)
        ax.set_title(title)
        ax.set_xlabel("step")
        ax.set_ylabel("loss (assistant tokens)")
        ax.grid(alpha=0.3)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=110)
    plt.close(fig)
