"""Figures the lessons share: image grids, reconstructions, training curves."""

import numpy as np

from .validation import check_bool, check_image_batch, check_int, check_number, check_text


def _as_images(x, name, value_range=None):
    """A batch of grey images as (n, h, w); see :func:`aehelpers.validation.check_image_batch`."""
    return check_image_batch(x, name, value_range=value_range)


def _check_labels_for(labels, n):
    if labels is None:
        return None
    if isinstance(labels, (str, bytes)) or not hasattr(labels, "__len__"):
        raise TypeError(f"labels must be a list of {n} texts (one per image), got {labels!r}")
    if len(labels) != n:
        raise ValueError(f"got {len(labels)} labels for {n} images; expected one each")
    return list(labels)


def show_images(images, labels=None, ncols=10, title=None, vmin=0.0, vmax=1.0, size=1.2):
    """Show grey images in a grid on one shared scale.

    Args:
        images: a batch of float images (n, h, w), (n, h, w, 1) or (n, h*w), values in
            [vmin, vmax] (one image: ``image[None]``).
        labels: optional list of n strings shown above the images.
        ncols: images per row.
        title: figure title (state the finding).
        vmin, vmax: grey scale shared by all images.
        size: inches per image.

    Returns:
        the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    images = _as_images(images, "images")
    title = check_text(title, "title")
    vmin, vmax = check_number(vmin, "vmin"), check_number(vmax, "vmax")
    if vmin >= vmax:
        raise ValueError(f"vmin={vmin:g} must be below vmax={vmax:g}")
    size = check_number(size, "size", minimum=0.1, maximum=20)
    lo, hi = float(images.min()), float(images.max())
    margin = 0.1 * (vmax - vmin)
    if lo < vmin - margin or hi > vmax + margin:
        hint = " (divide by 255)" if vmax == 1 and hi > 1.5 else ""
        raise ValueError(
            f"images have values in [{lo:.4g}, {hi:.4g}] but the grey scale is [{vmin}, {vmax}]"
            f"{hint}; rescale them or pass vmin/vmax"
        )
    ncols = check_int(ncols, "ncols", minimum=1)
    labels = _check_labels_for(labels, len(images))
    n = len(images)
    ncols = min(ncols, n)
    nrows = int(np.ceil(n / ncols))
    row_height = size + (0.3 if labels is not None else 0.0)
    height = row_height * nrows + (0.5 if title else 0.0)
    fig, axes = plt.subplots(nrows, ncols, figsize=(size * ncols, height), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            ax.imshow(images[i], cmap="gray", vmin=vmin, vmax=vmax)
            if labels is not None:
                ax.set_title(str(labels[i]), fontsize=8)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def show_reconstructions(originals, rows, n=10, title=None, size=1.1):
    """Originals in the top row, one row per model's reconstruction below.

    Args:
        originals: float array (n_images, h, w) or (n_images, h*w) in [0, 1].
        rows: dict row name -> reconstructions with the same shape as ``originals``
            (a single array is accepted and named "reconstruction").
        n: how many images (columns) to show.
        title: figure title.

    Returns:
        the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    title = check_text(title, "title")
    if not isinstance(rows, dict):
        rows = {"reconstruction": rows}
    if not rows:
        raise ValueError("rows is empty; expected a dict row name -> reconstructions")
    originals = _as_images(originals, "originals", value_range=(0.0, 1.0))
    named = {"original": originals}
    for name, recon in rows.items():
        # Reconstructions may overshoot [0, 1] a little (linear models, PCA): shown clipped.
        recon = _as_images(recon, f"rows[{name!r}]", value_range=(-1.0, 2.0))
        if recon.shape != originals.shape:
            raise ValueError(
                f"rows[{name!r}] has shape {recon.shape}; expected the originals' shape "
                f"{originals.shape}"
            )
        named[name] = np.clip(recon, 0, 1)
    n = min(check_int(n, "n", minimum=1), len(originals))
    size = check_number(size, "size", minimum=0.1, maximum=20)
    fig, axes = plt.subplots(
        len(named), n, figsize=(size * n + 1.2, size * len(named) + 0.4), squeeze=False
    )
    for r, (name, imgs) in enumerate(named.items()):
        for c in range(n):
            ax = axes[r, c]
            ax.imshow(imgs[c], cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
        axes[r, 0].set_ylabel(name, rotation=0, ha="right", va="center", fontsize=9)
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


# From Okabe & Ito's palette for colour-blind readers (blue, orange, sky blue, reddish purple,
# black; its bluish green is left out, too close to the blue under tritanopia): no red/green pair,
# and every pair stays apart under simulated protanopia, deuteranopia and tritanopia
# (tests/test_metrics_plotting.py checks it).
CURVE_COLOURS = ("#0072B2", "#E69F00", "#56B4E9", "#CC79A7", "#000000")


def _check_curve(curve, key, logy):
    """One history curve: a 1-D list of numbers, all > 0 for a log axis."""
    try:
        values = np.asarray(curve, dtype=np.float64)
    except (TypeError, ValueError):
        values = None
    if values is None or values.ndim != 1 or not len(values):
        raise ValueError(f"history[{key!r}] = {curve!r:.60}; expected a list of per-epoch numbers")
    if logy and np.nanmin(values) <= 0:
        raise ValueError(
            f"history[{key!r}] has values down to {np.nanmin(values):.4g}; a log y axis shows "
            "only values > 0 (the others would be dropped without a word): pass logy=False"
        )


def plot_history(history, keys=None, title=None, logy=True, ylabel="loss (MSE)"):
    """Training curves from a Keras ``History`` (or its ``.history`` dict).

    A metric and its validation curve share a colour (from :data:`CURVE_COLOURS`); training is
    solid with dots, validation dashed with squares, so no curve is told apart by colour alone.

    Args:
        history: ``keras.callbacks.History`` or dict name -> list of per-epoch values.
        keys: which curves to draw (default: every key, e.g. loss and val_loss).
        title: figure title.
        logy: logarithmic y axis (losses often fall by orders of magnitude).

    Returns:
        the matplotlib Figure.
    """
    import matplotlib.pyplot as plt

    curves = getattr(history, "history", history)
    if not isinstance(curves, dict) or not curves:
        raise ValueError("history must be a keras History or a non-empty dict of per-epoch lists")
    if isinstance(keys, str) or (keys is not None and not hasattr(keys, "__iter__")):
        raise TypeError(f"keys must be a list of curve names, e.g. ['loss'], got {keys!r}")
    keys = list(keys or curves)
    missing = [k for k in keys if k not in curves]
    if missing:
        raise ValueError(f"history has no {missing}; it holds {sorted(curves)}")
    title, logy = check_text(title, "title"), check_bool(logy, "logy")
    ylabel = check_text(ylabel, "ylabel", allow_none=False)
    for key in keys:
        _check_curve(curves[key], key, logy)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    metrics = list(dict.fromkeys(k.removeprefix("val_") for k in keys))
    for key in keys:
        epochs = np.arange(1, len(curves[key]) + 1)
        val = key.startswith("val_")
        colour = CURVE_COLOURS[metrics.index(key.removeprefix("val_")) % len(CURVE_COLOURS)]
        ax.plot(
            epochs,
            curves[key],
            color=colour,
            ls="--" if val else "-",
            marker=("s" if val else "o") if len(epochs) < 15 else None,
            ms=3,
            label=key,
        )
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    ax.legend()
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
