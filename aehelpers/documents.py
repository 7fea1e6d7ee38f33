"""Damaged document pages, like Kaggle's *Denoising Dirty Documents*, generated deterministically.

Kaggle's set was made by printing clean text pages and adding a few kinds of damage to
the paper. :func:`make_documents` does the same offline: it renders random text with the
DejaVu fonts that matplotlib ships (sans, serif and mono; several sizes), then darkens the
paper with coffee stains, folds, watermarks and crumples (plus uneven lighting and a
little sensor noise). Same seed, same pages.

    >>> docs = make_documents(8, height=192, width=320, seed=0)
    >>> docs.clean.shape, docs.dirty.shape            # (8, 192, 320) each, values in [0, 1]
    >>> patches = extract_patches(docs.dirty, size=48, stride=32)   # carries .geometry
    >>> pages = reconstruct_pages(patches)                             # == docs.dirty
    >>> pages = reconstruct_pages(model_output, docs.dirty.shape, stride=32)  # a plain array

Values: 1.0 is white paper, 0.0 is black ink. The metric is Kaggle's: per-pixel RMSE
against the clean page (:func:`page_rmse`).
"""

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .validation import check_array, check_int, check_same_shape

DAMAGES = ("coffee_stain", "fold", "watermark", "crumple")
FONTS = (
    "DejaVuSans.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSansMono.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSerif-Italic.ttf",
)
FONT_SIZES_PT = (8, 9, 10, 11, 12)
WATERMARKS = ("DRAFT", "COPY", "SAMPLE", "VOID", "FILE", "ARCHIVE")
_WORDS = (
    "the autoencoder learns to map a noisy input back to the clean page it came from "
    "an encoder compresses the image into a code and a decoder reconstructs it denoising "
    "training pairs corrupted inputs with clean targets so the network must learn what "
    "text looks like and what stains folds and shadows look like statistics of documents "
    "per pixel error is measured against the original scan of each page in the archive "
    "letters words lines margins paragraphs tables figures report invoice letter memo "
    "Results Method Data Notes Section Chapter Table Figure 2024 1999 42 3.14 100% (a) [b] ;"
).split()


@dataclass
class DocumentSet:
    """Pairs of clean and damaged pages.

    Attributes:
        clean: float32 (n, h, w) in [0, 1], white paper (1) with black text (0).
        dirty: float32 (n, h, w) in [0, 1], the same pages after damage.
        damages: list of n tuples, the damage kinds applied to each page.
        fonts: list of n (font file, size in pt) used for each page's text.
        seed: the seed that generated the set.
    """

    clean: np.ndarray
    dirty: np.ndarray
    damages: list
    fonts: list
    seed: int

    def __len__(self):
        return len(self.clean)


def font_dir():
    """The folder where matplotlib keeps its DejaVu TrueType fonts."""
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def _render(height, width, draw):
    """Render with matplotlib on a white (height, width) canvas; return ink coverage in [0, 1]."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    draw(fig)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())[:height, :width, :3]
    return 1.0 - rgba.mean(axis=2).astype(np.float32) / 255.0


def render_text_page(height, width, seed=0, font="DejaVuSans.ttf", size=10):
    """A clean page of random text: float32 (height, width), 1 = paper, 0 = ink.

    Args:
        height, width: page size in pixels (100 pixels per inch).
        seed: int, chooses the words, margins and line spacing.
        font: a file name from :data:`FONTS` (any TrueType file in matplotlib's font folder).
        size: font size in points (1 pt = 100/72 pixels here).
    """
    from matplotlib.font_manager import FontProperties

    height = check_int(height, "height", minimum=16)
    width = check_int(width, "width", minimum=16)
    path = font_dir() / font
    if not path.is_file():
        raise ValueError(f"font {font!r} not found in {font_dir()}; expected one of {FONTS}")
    rng = np.random.default_rng(seed)
    prop = FontProperties(fname=str(path), size=size)
    px = size * 100 / 72
    spacing = px * rng.uniform(1.35, 1.7)
    margin = rng.uniform(0.02, 0.06)
    chars_per_line = int(width * (1 - 2 * margin) / (0.6 * px))

    def draw(fig):
        y = 1 - rng.uniform(0.02, 0.06)
        while y > spacing / height:
            line, indent = "", margin + (rng.uniform(0, 0.05) if rng.random() < 0.2 else 0)
            target = (
                chars_per_line
                if rng.random() > 0.15
                else int(chars_per_line * rng.uniform(0.2, 0.8))
            )
            while len(line) < target:
                line += str(rng.choice(_WORDS)) + " "
            fig.text(
                indent, y, line[:target].rstrip(), fontproperties=prop, va="top", color="black"
            )
            y -= spacing / height * (2 if rng.random() < 0.1 else 1)  # sometimes a blank line

    return 1.0 - _render(height, width, draw)


# ----------------------------------------------------------------------------- damage
# Each returns how much it darkens the paper: a float map (h, w) in [0, 1).


def _grid(h, w):
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    return yy, xx


def coffee_stain(h, w, rng):
    """One to three coffee rings: a dark, wobbly rim around a lighter tinted disc."""
    yy, xx = _grid(h, w)
    dark = np.zeros((h, w), np.float32)
    for _ in range(rng.integers(1, 4)):
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        r = rng.uniform(0.2, 0.5) * min(h, w)
        theta = np.arctan2(yy - cy, xx - cx)
        wobble = 1 + 0.06 * np.sin(2 * theta + rng.uniform(0, 6.3)) + 0.02 * np.sin(5 * theta)
        d = np.hypot(yy - cy, xx - cx) / (r * wobble)
        rim = np.exp(-(((d - 1) / rng.uniform(0.03, 0.08)) ** 2))
        fill = 1 / (1 + np.exp(np.clip((d - 1) / 0.02, -50, 50)))
        dark += rng.uniform(0.25, 0.45) * rim + rng.uniform(0.08, 0.2) * fill
    return np.clip(dark, 0, 0.7)


def fold(h, w, rng):
    """One or two folds: a thin dark crease with a shadow on one side."""
    yy, xx = _grid(h, w)
    dark = np.zeros((h, w), np.float32)
    for _ in range(rng.integers(1, 3)):
        angle = rng.uniform(0, np.pi)
        cy, cx = rng.uniform(0.2, 0.8) * h, rng.uniform(0.2, 0.8) * w
        s = (yy - cy) * np.cos(angle) - (xx - cx) * np.sin(angle)  # signed distance, px
        crease = np.exp(-((s / rng.uniform(1.0, 2.5)) ** 2))
        shadow = np.exp(-np.maximum(s, 0) / rng.uniform(8, 25)) * (s > 0)
        dark += rng.uniform(0.25, 0.45) * crease + rng.uniform(0.1, 0.25) * shadow
    return np.clip(dark, 0, 0.7)


def watermark(h, w, rng):
    """A large, light, rotated word (DRAFT, COPY, ...) printed across the page."""
    from matplotlib.font_manager import FontProperties

    word = str(rng.choice(WATERMARKS))
    prop = FontProperties(fname=str(font_dir() / "DejaVuSans-Bold.ttf"))
    size = rng.uniform(0.35, 0.6) * min(h, w) * 72 / 100
    angle = rng.uniform(-40, 40)
    x, y = rng.uniform(0.35, 0.65), rng.uniform(0.35, 0.65)

    def draw(fig):
        fig.text(
            x,
            y,
            word,
            fontproperties=prop,
            size=size,
            rotation=angle,
            ha="center",
            va="center",
            color="black",
        )

    return rng.uniform(0.2, 0.35) * _render(h, w, draw)


def crumple(h, w, rng):
    """Crumpled paper: smooth blotchy shading plus a few thin random creases."""
    from scipy.ndimage import gaussian_filter

    field = sum(gaussian_filter(rng.standard_normal((h, w)), s) * s for s in (4.0, 12.0, 30.0))
    field = (field - field.min()) / (np.ptp(field) + 1e-8)
    dark = rng.uniform(0.15, 0.3) * field
    yy, xx = _grid(h, w)
    for _ in range(rng.integers(2, 6)):  # creases: short straight segments
        y0, x0 = rng.uniform(0, h), rng.uniform(0, w)
        angle, length = rng.uniform(0, np.pi), rng.uniform(0.2, 0.6) * max(h, w)
        s = (yy - y0) * np.cos(angle) - (xx - x0) * np.sin(angle)
        t = (yy - y0) * np.sin(angle) + (xx - x0) * np.cos(angle)
        dark += rng.uniform(0.1, 0.2) * np.exp(-((s / 1.0) ** 2)) * (np.abs(t) < length / 2)
    return np.clip(dark, 0, 0.7).astype(np.float32)


_DAMAGE_FUNCTIONS = {
    "coffee_stain": coffee_stain,
    "fold": fold,
    "watermark": watermark,
    "crumple": crumple,
}


def damage_page(clean, damages, seed=0):
    """Apply damage to one clean page.

    Args:
        clean: float array (h, w) in [0, 1], 1 = paper, 0 = ink.
        damages: iterable of names from :data:`DAMAGES`.
        seed: int, draws every random choice of the damage.

    Returns:
        float32 (h, w) in [0, 1]: paper tone times (1 - damage) times the text, with uneven
        lighting and a little Gaussian sensor noise.
    """
    clean = check_array(clean, "clean", ndim=2, min_value=0, max_value=1)
    unknown = [d for d in damages if d not in _DAMAGE_FUNCTIONS]
    if unknown:
        raise ValueError(f"unknown damage {unknown}; expected names from {DAMAGES}")
    rng = np.random.default_rng(seed)
    h, w = clean.shape
    dark = np.zeros((h, w), np.float32)
    for name in damages:
        dark = dark + _DAMAGE_FUNCTIONS[name](h, w, rng)
    yy, xx = _grid(h, w)
    gy, gx = rng.uniform(-1, 1, size=2)
    light = rng.uniform(0.0, 0.15) * (0.5 + 0.5 * (gy * (yy / h - 0.5) + gx * (xx / w - 0.5)))
    paper = rng.uniform(0.85, 1.0) * (1 - np.clip(dark, 0, 0.8)) * (1 - light)
    ink = rng.uniform(0.02, 0.15)
    page = paper * (ink + (1 - ink) * clean)
    page = page + rng.normal(0, rng.uniform(0.005, 0.03), size=(h, w))
    return np.clip(page, 0, 1).astype(np.float32)


def _check_damages(damages):
    """``damages`` as a tuple: a non-empty subset of :data:`DAMAGES`, each kind once."""
    listed = hasattr(damages, "__iter__") and not isinstance(damages, (str, bytes))
    kinds = tuple(damages) if listed else ()
    known = all(isinstance(d, str) and d in _DAMAGE_FUNCTIONS for d in kinds)
    if not kinds or not known or len(set(kinds)) != len(kinds):
        shown = kinds if listed else damages
        raise ValueError(
            f"damages={shown!r}; expected a non-empty subset of {DAMAGES}, each kind once"
        )
    return kinds


def make_documents(n_pages, height=192, width=320, seed=0, damages=DAMAGES):
    """Generate ``n_pages`` pairs of clean and damaged text pages, deterministically.

    Page i uses damage ``damages[i % len(damages)]`` plus, on half of the pages, a second
    kind, so every kind appears; the font and size are drawn per page from :data:`FONTS`
    and :data:`FONT_SIZES_PT`. Different seeds give different text and new backgrounds
    (stain shapes, fold lines, watermark words and angles, crumple fields).

    Args:
        n_pages: int >= 1.
        height, width: page size in pixels (>= 32).
        seed: int >= 0.
        damages: the damage kinds to draw from (default: all four).

    Returns:
        :class:`DocumentSet` with clean and dirty float32 arrays (n_pages, height, width).
    """
    n_pages = check_int(n_pages, "n_pages", minimum=1)
    height = check_int(height, "height", minimum=32)
    width = check_int(width, "width", minimum=32)
    seed = check_int(seed, "seed", minimum=0)
    damages = _check_damages(damages)
    rng = np.random.default_rng([seed, 1234])
    clean, dirty, used, fonts = [], [], [], []
    for i in range(n_pages):
        font, size = str(rng.choice(FONTS)), int(rng.choice(FONT_SIZES_PT))
        kinds = [damages[i % len(damages)]]
        if len(damages) > 1 and rng.random() < 0.5:
            kinds.append(str(rng.choice([d for d in damages if d != kinds[0]])))
        page_seed = int(rng.integers(2**31))
        page = render_text_page(height, width, seed=page_seed, font=font, size=size)
        clean.append(page)
        dirty.append(damage_page(page, kinds, seed=page_seed + 1))
        used.append(tuple(kinds))
        fonts.append((font, size))
    return DocumentSet(np.stack(clean), np.stack(dirty), used, fonts, seed)


# ----------------------------------------------------------------------------- patches


def _pages(pages, name="pages"):
    pages = check_array(pages, name, ndim=(2, 3), min_value=0, max_value=1)
    return pages[None] if pages.ndim == 2 else pages


def _starts(length, size, stride):
    """Patch start positions covering [0, length): a regular grid plus one flush with the end."""
    starts = list(range(0, length - size + 1, stride))
    if starts[-1] != length - size:
        starts.append(length - size)
    return starts


def _check_patch_args(pages, size, stride):
    size = check_int(size, "size", minimum=2)
    stride = check_int(stride, "stride", minimum=1, maximum=size)
    h, w = pages.shape[1:]
    if size > min(h, w):
        raise ValueError(
            f"patch size {size} is larger than the pages ({h}x{w}); expected <= {min(h, w)}"
        )
    return size, stride


@dataclass(frozen=True)
class PatchGeometry:
    """How :func:`extract_patches` cut its patches: the pages' shape, the patch size and the stride.

    Attributes:
        shape: the pages' shape as given, (n, h, w) or (h, w) for one page.
        size: patch side in pixels.
        stride: step between patches.
    """

    shape: tuple
    size: int
    stride: int

    @property
    def n_patches(self):
        """How many patches pages of this shape give with this size and stride."""
        n, h, w = (1, *self.shape) if len(self.shape) == 2 else self.shape
        return n * len(_starts(h, self.size, self.stride)) * len(_starts(w, self.size, self.stride))


class Patches(np.ndarray):
    """float32 patches (n_patches, size, size) that carry their :class:`PatchGeometry` as ``.geometry``.

    A plain NumPy array in every other respect (models, plots and NumPy take it as one).
    The geometry travels with the array and with arrays computed from it (``patches[..., None]``,
    ``1 - patches``), not through a model: a model's output is a plain array.
    """

    def __array_finalize__(self, obj):
        self.geometry = getattr(obj, "geometry", None)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        if array.ndim < 3:  # a reduction (patches.mean()) is a plain number or array, not patches
            array = array.view(np.ndarray)
            return array[()] if return_scalar else array
        return super().__array_wrap__(array, context, return_scalar)


def extract_patches(pages, size=48, stride=32):
    """Cut pages into overlapping square patches that cover every pixel.

    Args:
        pages: float array (n, h, w) or one page (h, w), values in [0, 1].
        size: patch side in pixels (<= h and w).
        stride: step between patches (<= size so they overlap or touch).

    Returns:
        :class:`Patches`: float32 (n_patches, size, size), page by page, row by row, that
        carries the pages' shape, the size and the stride as ``.geometry``;
        :func:`reconstruct_pages` puts them back.
    """
    given_shape = np.shape(pages)
    pages = _pages(pages)
    size, stride = _check_patch_args(pages, size, stride)
    h, w = pages.shape[1:]
    patches = np.stack(
        [
            page[y : y + size, x : x + size]
            for page in pages
            for y in _starts(h, size, stride)
            for x in _starts(w, size, stride)
        ]
    )
    patches = patches.astype(np.float32, copy=False).view(Patches)
    patches.geometry = PatchGeometry(tuple(int(d) for d in given_shape), size, stride)
    return patches


def _check_pages_shape(shape, name="shape"):
    """The pages' shape as a tuple of ints, (n, h, w) or (h, w)."""
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__") or len(shape) not in (2, 3):
        raise ValueError(f"{name}={shape!r}; expected the pages' shape (n, h, w) or (h, w)")
    return tuple(check_int(s, f"{name} entry", minimum=1) for s in shape)


def _as_3d(shape):
    return (1, *shape) if len(shape) == 2 else tuple(shape)


def reconstruct_pages(patches, shape=None, stride=None, *, geometry=None):
    """Put patches from :func:`extract_patches` back into pages, blending overlaps.

    Where patches overlap, each pixel is a weighted mean that favours patch centres.

    The pages' shape, the patch size and the stride come with the patches: the
    :class:`Patches` that :func:`extract_patches` returns carry them (``.geometry``).
    A plain array, e.g. a model's output for those patches, does not: pass
    ``geometry=patches.geometry``, or ``shape`` and ``stride`` as given to extract_patches.

    Args:
        patches: float array (n_patches, size, size) or (n_patches, size, size, 1).
        shape: (n, h, w) of the pages they came from (or (h, w) for one page). Needed for
            a plain array; for patches that carry a geometry it may be left out, and if
            given it must be the pages' shape (else a ValueError says which differs).
        stride: the stride used to extract them. For a plain array without ``geometry``
            it defaults to 32, extract_patches' default; with a geometry it must agree.
        geometry: a :class:`PatchGeometry` (``patches.geometry`` of the extracted patches),
            for a plain array such as a model's output.

    Returns:
        float32 array with the pages' shape.
    """
    if geometry is None:
        geometry = getattr(patches, "geometry", None)
    elif not isinstance(geometry, PatchGeometry):
        raise TypeError(
            f"geometry is a {type(geometry).__name__}; expected the .geometry of the patches "
            "extract_patches returned"
        )
    patches = check_array(patches, "patches", ndim=(3, 4), min_value=-0.5, max_value=1.5)
    if patches.ndim == 4:
        if patches.shape[-1] != 1:
            raise ValueError(
                f"patches has shape {patches.shape}; expected (n_patches, size, size) or (..., 1)"
            )
        patches = patches[..., 0]
    size = patches.shape[1]
    if patches.shape[2] != size:
        raise ValueError(f"patches have shape {patches.shape[1:]}; expected square patches")
    if shape is not None:
        shape = _check_pages_shape(shape)
    if stride is not None:
        stride = check_int(stride, "stride", minimum=1)
    if geometry is not None:
        cut = (
            f"extract_patches cut these patches ({geometry.n_patches} of size {geometry.size}) from pages "
            f"of shape {geometry.shape} with stride {geometry.stride}"
        )
        if shape is not None and _as_3d(shape) != _as_3d(geometry.shape):
            raise ValueError(
                f"shape={shape} but {cut}; expected the same shape (or leave shape out)"
            )
        if stride is not None and stride != geometry.stride:
            raise ValueError(
                f"stride={stride} but {cut}; expected the same stride (or leave stride out)"
            )
        if size != geometry.size or len(patches) != geometry.n_patches:
            raise ValueError(
                f"patches holds {len(patches)} patches of size {size} but {cut}; expected all of them, "
                "unchanged in number and size (for patches that are not these, pass np.asarray(patches) "
                "with their own shape and stride)"
            )
        shape, stride = (geometry.shape if shape is None else shape), geometry.stride
    elif shape is None:
        raise ValueError(
            "shape is missing: patches is a plain array (e.g. a model's output), which does not carry "
            "the pages' shape and stride; pass geometry=<the patches from extract_patches>.geometry, "
            "or shape= and stride= as given to extract_patches"
        )
    elif stride is None:
        stride = 32  # extract_patches' default
    n, h, w = _as_3d(shape)
    size, stride = _check_patch_args(np.zeros((1, h, w)), size, stride)
    ys, xs = _starts(h, size, stride), _starts(w, size, stride)
    expected = n * len(ys) * len(xs)
    if len(patches) != expected:
        raise ValueError(
            f"got {len(patches)} patches; pages of shape {(n, h, w)} with size {size} and "
            f"stride {stride} give {expected}: use the same shape, size and stride as extract_patches"
        )
    # A tent-shaped weight trusts each patch's centre more than its border, where a
    # convolutional model sees padding: overlaps blend without visible seams.
    ramp = np.minimum(np.arange(1, size + 1), np.arange(size, 0, -1)).astype(np.float64)
    weight = np.outer(ramp, ramp)
    total = np.zeros((n, h, w), np.float64)
    count = np.zeros((h, w), np.float64)
    k = 0
    for i in range(n):
        for y in ys:
            for x in xs:
                total[i, y : y + size, x : x + size] += weight * patches[k]
                if i == 0:
                    count[y : y + size, x : x + size] += weight
                k += 1
    pages = (total / count).astype(np.float32)
    return pages[0] if len(shape) == 2 else pages


def random_patches(clean, dirty, size=48, n=1000, seed=0):
    """Matching random patches from clean and dirty pages, for training a denoiser.

    Args:
        clean, dirty: float arrays (n_pages, h, w) in [0, 1] with the same shape.
        size: patch side in pixels.
        n: number of patch pairs.
        seed: int, chooses pages and positions.

    Returns:
        (clean_patches, dirty_patches): float32 arrays (n, size, size).
    """
    clean, dirty = _pages(clean, "clean"), _pages(dirty, "dirty")
    check_same_shape(clean, dirty, "clean", "dirty")
    size, _ = _check_patch_args(clean, size, 1)
    n = check_int(n, "n", minimum=1)
    rng = np.random.default_rng(check_int(seed, "seed", minimum=0))
    pages, h, w = clean.shape
    i = rng.integers(0, pages, n)
    y = rng.integers(0, h - size + 1, n)
    x = rng.integers(0, w - size + 1, n)

    def take(pages):
        return np.stack(
            [pages[k, r : r + size, c : c + size] for k, r, c in zip(i, y, x, strict=True)]
        )

    return take(clean), take(dirty)


# ----------------------------------------------------------------------------- metric


def page_rmse(clean, pages):
    """Kaggle's metric: root mean squared error over every pixel of every page.

    Args:
        clean: float array (n, h, w) or (h, w) in [0, 1], the clean pages.
        pages: float array of the same shape, the pages to score.

    Returns:
        float, in grey levels on the [0, 1] scale (0 is perfect).
    """
    clean, pages = _pages(clean, "clean"), _pages(pages)
    check_same_shape(clean, pages, "clean", "pages")
    return float(np.sqrt(np.mean((clean.astype(np.float64) - pages) ** 2)))
