"""Interactive latent explorers: drag a code, watch the decoder's output change.

Three explorers, each built on one class, :class:`Explorer`:

- :func:`latent_pad`: two sliders set a 2-D code (z1, z2) that is decoded live;
- :func:`interpolation_slider`: one slider walks from one code to another;
- :func:`direction_slider`: one slider adds alpha times a direction (an attribute) to a code.

They work with ipywidgets 8 (JupyterLab 4) and 7.7 (Colab). Shown in a notebook, an
explorer outputs the widget AND a static figure of the decoded output at a few slider
positions, so a page without a live kernel (nbval, a rendered notebook, a viewer without
widget support) shows the figure instead of an empty box. Without ipywidgets only the
figure is shown. The lessons' claims never depend on an explorer.

``decode`` is any function from codes ``(n, d)`` to outputs: images ``(n, h, w)`` (or
``(n, h, w, 1)``, or flattened square images) with values in ``[vmin, vmax]``, or
sequences ``(n, length)``; a Keras model works as it is. Example::

    pad = ae.latent_pad(vae2.decode, ranges=((-3, 3), (-3, 3)))
    pad                      # in a notebook: the sliders and the decoded image
    pad.set(z1=1.5)          # move a slider from code (the browser test does this by hand)
"""

import base64
import io
import textwrap

import numpy as np

from .validation import check_array, check_choice, check_int, check_number, check_text, to_numpy


def _widgets():
    """The ipywidgets module, or None where it is not installed."""
    try:
        import ipywidgets
    except ImportError:
        return None
    return ipywidgets


def _decode_one(decode, code):
    """Decoded output of one code (d,) as a NumPy array without the batch axis."""
    z = np.asarray(code, dtype="float32")[None]
    out = decode(z, training=False) if _is_keras_model(decode) else decode(z)
    out = np.asarray(to_numpy(out), dtype="float32")
    if out.ndim < 2 or out.shape[0] != 1:
        raise ValueError(
            f"decode returned shape {out.shape} for one code of shape {z.shape}; "
            "expected a batch (1, ...) of outputs"
        )
    if not np.all(np.isfinite(out)):
        raise ValueError(
            f"decode returned NaN or infinite values for the code {np.round(z[0], 3).tolist()}; "
            "expected finite outputs (is the model trained, and the code in its range?)"
        )
    return out[0]


def _is_keras_model(fn):
    try:
        import keras
    except ImportError:  # pragma: no cover
        return False
    return isinstance(fn, keras.Model)


def _as_picture(out, kind):
    """(kind, array) with kind "image" (h, w) or "sequence" (length,)."""
    if out.ndim == 3 and out.shape[-1] == 1:
        out = out[..., 0]
    if out.ndim > 2:
        raise ValueError(
            f"decode gave shape {out.shape} per code; expected a grey image (h, w) or a "
            "sequence (length,): colour images are not shown"
        )
    if kind == "auto":
        side = int(round(np.sqrt(out.size)))
        if out.ndim == 2 and min(out.shape) > 1:
            kind = "image"
        elif out.ndim == 1 and side * side == out.size and side >= 8:
            kind = "image"
        else:
            kind = "sequence"
    if kind == "image":
        if out.ndim == 1:
            side = int(round(np.sqrt(out.size)))
            if side * side != out.size:
                raise ValueError(
                    f"decode gave {out.size} values, not a square image; pass kind='sequence'"
                )
            out = out.reshape(side, side)
        if out.ndim != 2:
            raise ValueError(f"decode gave shape {out.shape}; expected an image (h, w) per code")
        return "image", out
    return "sequence", out.reshape(-1)


def _png_of(kind, picture, vmin, vmax, size_px, label=""):
    """PNG bytes of one decoded output: a grey image on the shared scale, or a line plot."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    if kind == "image":
        import matplotlib.image

        zoom = max(1, size_px // max(picture.shape))
        big = np.kron(np.clip(picture, vmin, vmax), np.ones((zoom, zoom)))
        buf = io.BytesIO()
        matplotlib.image.imsave(buf, big, cmap="gray", vmin=vmin, vmax=vmax, format="png")
        return buf.getvalue()
    fig = Figure(figsize=(size_px / 60, size_px / 120), dpi=60)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.plot(picture, c="k", lw=1.5)
    ax.set_ylim(vmin, vmax)
    ax.set_xlabel("time step")
    ax.set_title(label, fontsize=9)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def _slider_specs(sliders):
    """The sliders as a list of (name, low, high, start) tuples, checked for their shape."""
    given = [] if isinstance(sliders, (str, bytes)) or not hasattr(sliders, "__iter__") else sliders
    given = list(given)
    specs = [s for s in given if not isinstance(s, (str, bytes)) and hasattr(s, "__len__")]
    if not specs or len(specs) != len(given) or any(len(s) != 4 for s in specs):
        raise ValueError(
            f"sliders={sliders!r:.80}; expected a list of (name, low, high, start), "
            "e.g. [('t', 0.0, 1.0, 0.0)]"
        )
    return specs


def _check_image_range(picture, vmin, vmax):
    """A decoded image must lie near [vmin, vmax] (a little overshoot is shown clipped)."""
    lo, hi, span = float(picture.min()), float(picture.max()), vmax - vmin
    if lo < vmin - span or hi > vmax + span:
        raise ValueError(
            f"decode gave an image with values in [{lo:.4g}, {hi:.4g}]; expected values in "
            f"[vmin, vmax] = [{vmin:g}, {vmax:g}] (pixel probabilities, not logits or 0..255; "
            "or pass vmin= and vmax=)"
        )


class Explorer:
    """Sliders that set a code, and the decoder's output for it, updated as a slider moves.

    Args:
        decode: function (or Keras model) from codes (n, d) to outputs (see the module doc).
        make_code: function(**slider_values) -> code (d,).
        sliders: list of (name, low, high, start) for the sliders.
        title: shown above the explorer and on the static figure.
        steps: positions per slider (its resolution).
        kind: "auto", "image" or "sequence": how to draw the decoded output.
        vmin, vmax: shared scale of the drawing (pixel range, or y-axis range).
        size_px: size of the drawing in pixels.
    """

    def __init__(
        self,
        decode,
        make_code,
        sliders,
        title,
        steps=41,
        kind="auto",
        vmin=0.0,
        vmax=1.0,
        size_px=168,
    ):
        if not callable(decode):
            raise TypeError(
                f"decode must be a function or a Keras model from codes (n, d) to outputs, "
                f"got {type(decode).__name__}"
            )
        if not callable(make_code):
            raise TypeError(
                f"make_code must be a function from slider values to a code (d,), "
                f"got {type(make_code).__name__}"
            )
        self.decode = decode
        self.make_code = make_code
        self.title = check_text(title, "title", allow_none=False)
        self.steps = check_int(steps, "steps", minimum=2, maximum=1001)
        self.kind = check_choice(kind, "kind", ("auto", "image", "sequence"))
        self.vmin = check_number(vmin, "vmin")
        self.vmax = check_number(vmax, "vmax")
        if self.vmax <= self.vmin:
            raise ValueError(f"vmax={vmax} must be larger than vmin={vmin}")
        self.size_px = check_int(size_px, "size_px", minimum=16, maximum=2000)
        self.sliders = {}
        for name, low, high, start in _slider_specs(sliders):
            low, high = check_number(low, f"{name} low"), check_number(high, f"{name} high")
            if high <= low:
                raise ValueError(f"slider {name}: high={high} must be larger than low={low}")
            self.sliders[name] = (low, high, check_number(start, f"{name} start", low, high))
        self.values = {name: start for name, (_, _, start) in self.sliders.items()}
        self.widget, self._image, self._controls = None, None, {}
        self.renders = 0
        self._png = self.render()  # decode once now: a bad decoder fails here, not in a callback
        self._build_widget()

    # -- decoding and drawing --------------------------------------------------------
    def _checked(self, values):
        """Slider values checked as :meth:`set` checks them (name known, inside the slider's range)."""
        for name, value in values.items():
            if name not in self.sliders:
                raise ValueError(f"no slider {name!r}; the sliders are {', '.join(self.sliders)}")
            low, high, _ = self.sliders[name]
            values[name] = check_number(value, name, low, high)
        return values

    def code(self, **values):
        """The code (d,) for slider values (missing ones: the current values)."""
        merged = {**self.values, **self._checked(values)}
        return check_array(self.make_code(**merged), "the code make_code returned").reshape(-1)

    def _picture(self, values):
        kind, picture = _as_picture(_decode_one(self.decode, self.code(**values)), self.kind)
        if kind == "image":
            _check_image_range(picture, self.vmin, self.vmax)
        return kind, picture

    def output(self, **values):
        """The decoded output (h, w) or (length,) for slider values."""
        return self._picture(values)[1]

    def render(self, **values):
        """PNG bytes of the decoded output for slider values (default: the current ones)."""
        kind, picture = self._picture(values)
        self.renders += 1
        label = ", ".join(f"{k}={v:.2f}" for k, v in {**self.values, **values}.items())
        return _png_of(kind, picture, self.vmin, self.vmax, self.size_px, label)

    def set(self, **values):
        """Move sliders from code (as a learner would by dragging) and redraw."""
        for name, value in values.items():
            if name not in self.sliders:
                raise ValueError(f"no slider {name!r}; the sliders are {', '.join(self.sliders)}")
            low, high, _ = self.sliders[name]
            self.values[name] = check_number(value, name, low, high)
            if self._controls:
                self._controls[name].value = self.values[name]  # the observer redraws
        if not self._controls:
            self._png = self.render()
        return self

    @property
    def png(self):
        """PNG bytes of what the explorer shows now."""
        return self._png

    # -- the widget ----------------------------------------------------------------------
    def _build_widget(self):
        widgets = _widgets()
        if widgets is None:
            return
        try:
            width, height = (
                int.from_bytes(self._png[i : i + 4], "big") for i in (16, 20)
            )  # PNG header
            image = widgets.Image(value=self._png, format="png", width=width, height=height)
            controls = {}
            for name, (low, high, start) in self.sliders.items():
                controls[name] = widgets.FloatSlider(
                    value=start,
                    min=low,
                    max=high,
                    step=(high - low) / (self.steps - 1),
                    description=name,
                    continuous_update=True,
                    readout_format=".2f",
                )
                controls[name].observe(self._on_change, names="value")
            box = widgets.VBox([widgets.HTML(f"<b>{self.title}</b>"), image, *controls.values()])
        except Exception:  # no kernel to talk to (a plain script with ipywidgets 7): figure only
            return
        self.widget, self._image, self._controls = box, image, controls

    def _on_change(self, change):
        for name, control in self._controls.items():
            self.values[name] = float(control.value)
        self._png = self.render()
        self._image.value = self._png

    # -- the static figure ------------------------------------------------------------------
    def static_figure(self, positions=5):
        """A matplotlib figure: the decoded output at ``positions`` values of each slider.

        One row per slider (the other sliders at their current values); this is what a
        page without widgets shows.
        """
        import matplotlib.pyplot as plt

        positions = check_int(positions, "positions", minimum=2, maximum=15)
        rows = list(self.sliders.items())
        fig, axes = plt.subplots(
            len(rows),
            positions,
            figsize=(1.6 * positions, 0.5 + 1.9 * len(rows)),
            squeeze=False,
            layout="constrained",
        )
        for r, (name, (low, high, _)) in enumerate(rows):
            for c, value in enumerate(np.linspace(low, high, positions)):
                kind, picture = self._picture({name: value})
                ax = axes[r, c]
                if kind == "image":
                    ax.imshow(picture, cmap="gray", vmin=self.vmin, vmax=self.vmax)
                    ax.set_xticks([])
                    ax.set_yticks([])
                else:
                    ax.plot(picture, c="k", lw=1)
                    ax.set_ylim(self.vmin, self.vmax)
                    ax.set_xticks([])
                ax.set_title(f"{name}={value:.2f}", fontsize=8)
        title = f"{self.title} (static view: run the notebook in Jupyter to drag the sliders)"
        fig.suptitle(textwrap.fill(title, width=int(14 * positions)), fontsize=9)
        return fig

    def _static_png(self):
        import matplotlib.pyplot as plt

        fig = self.static_figure()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=72)
        plt.close(fig)
        return buf.getvalue()

    def _ipython_display_(self):
        from IPython.display import display

        data = {
            "text/plain": f"<{self.title}: {', '.join(self.sliders)}>",
            "image/png": base64.b64encode(self._static_png()).decode("ascii"),
        }
        if self.widget is not None:  # a front end with widget support shows the live widget
            data["application/vnd.jupyter.widget-view+json"] = {
                "version_major": 2,
                "version_minor": 0,
                "model_id": self.widget.model_id,
            }
        display(data, raw=True)

    def __repr__(self):
        return f"Explorer({self.title!r}, sliders={list(self.sliders)}, widget={'yes' if self.widget else 'no'})"


def _check_code(z, name, dim=None):
    z = check_array(z, name).reshape(-1)
    if dim is not None and z.size != dim:
        raise ValueError(
            f"{name} has {z.size} numbers; expected a code of {dim} numbers like the others"
        )
    return z


def latent_pad(decode, ranges=((-3.0, 3.0), (-3.0, 3.0)), start=(0.0, 0.0), title=None, **kwargs):
    """Two sliders, z1 and z2, set a 2-D code that ``decode`` turns into an image, live.

    Args:
        decode: function or Keras model from codes (n, 2) to outputs.
        ranges: ((low, high), (low, high)) of z1 and z2; for a VAE, about 3 prior
            standard deviations each side.
        start: starting code (z1, z2).
        title: what the explorer shows (default says what the sliders do).
        **kwargs: steps, kind, vmin, vmax, size_px of :class:`Explorer`.
    """

    def pair(value):
        return not isinstance(value, (str, bytes)) and hasattr(value, "__len__") and len(value) == 2

    if not (pair(ranges) and all(pair(r) for r in ranges)) or not pair(start):
        raise ValueError(
            f"ranges and start describe a 2-D code: ranges=((low, high), (low, high)), "
            f"start=(z1, z2); got ranges={ranges!r}, start={start!r}"
        )
    (lo1, hi1), (lo2, hi2) = ranges
    return Explorer(
        decode,
        lambda z1, z2: np.array([z1, z2], "float32"),
        [("z1", lo1, hi1, start[0]), ("z2", lo2, hi2, start[1])],
        title or "Drag z1 and z2: the decoder draws the code",
        **kwargs,
    )


def interpolation_slider(decode, z_start, z_end, title=None, **kwargs):
    """One slider t in [0, 1] decodes (1 - t) * z_start + t * z_end.

    Args:
        decode: function or Keras model from codes (n, d) to outputs.
        z_start, z_end: codes (d,) of the two ends, e.g. the encoder's means of two images.
    """
    z0 = _check_code(z_start, "z_start")
    z1 = _check_code(z_end, "z_end", dim=z0.size)
    return Explorer(
        decode,
        lambda t: (1 - t) * z0 + t * z1,
        [("t", 0.0, 1.0, 0.0)],
        title or "Slide t from the first code (t=0) to the second (t=1)",
        **kwargs,
    )


def direction_slider(decode, z, direction, alphas=(-1.0, 2.0), title=None, **kwargs):
    """One slider alpha decodes z + alpha * direction (an attribute direction).

    Args:
        decode: function or Keras model from codes (n, d) to outputs.
        z: the code (d,) to edit.
        direction: (d,), e.g. the mean code of one class minus that of another.
        alphas: (low, high) of the slider; 0 is the unedited code.
    """
    z0 = _check_code(z, "z")
    d = _check_code(direction, "direction", dim=z0.size)
    if isinstance(alphas, (str, bytes)) or not hasattr(alphas, "__len__") or len(alphas) != 2:
        raise ValueError(f"alphas must be (low, high), e.g. (-1.0, 2.0); got {alphas!r}")
    low, high = check_number(alphas[0], "alphas low"), check_number(alphas[1], "alphas high")
    return Explorer(
        decode,
        lambda alpha: z0 + alpha * d,
        [("alpha", low, high, min(max(0.0, low), high))],
        title or "Slide alpha: add alpha x the direction to the code",
        **kwargs,
    )
