"""`tfgan-zoo generate PATH`: images from a trained model, without training.

  tfgan-zoo generate --model=dcgan --weights=mnist --num=64 --output=grid.png
  tfgan-zoo generate runs/dcgan --num=1000 --output=samples/     # a workdir or an export: PNG files
  tfgan-zoo generate --model=cgan --weights=mnist --labels=3,3,7 --output=three_threes_and_a_seven.png
  tfgan-zoo generate --model=dcgan --weights=mnist --interpolate=8 --output=walk.png   # latent walks
  tfgan-zoo generate --model=dcgan --weights=mnist --num=1000 --format=npy --output=samples.npy
  tfgan-zoo generate --model=cyclegan --weights=digits --direction=b_to_a --input=PATH --output=out/  # PATH: your 28x28 digits
  tfgan-zoo generate --model=pix2pix --weights=completion --input=PATH --output=out/  # PATH: your 28x28 damaged digits
  tfgan-zoo generate runs/pix2pix --input=PATH --output=out/  # your run; PATH: images of its size

The model: a PATH (a workdir, a SavedModel export or a .keras file), or --model with
--weights (a name tfgan_zoo.models.pretrained() lists, or one of those paths).
--output ending in .png is one grid (each pixel repeated until an image is 64 pixels
or more across); any other --output is a folder of one PNG per image; --format=npy
writes the images as one uint8 array [n, height, width, channels]. Walks
(--interpolate=STEPS) are spherical interpolations between random latent points (the
DCGAN paper's sec. 6.1, "walking in the latent space"), one walk per row.
Translation models translate --input (an image file or a folder of them) of the
model's image size; a grid shows each input above its translation.
"""
import os

import numpy as np
from absl import flags

from tfgan_zoo import evaluate_cli, images
from tfgan_zoo.data import sources
from tfgan_zoo.errors import InputError

FLAGS_SHOWN = ("model", "weights", "num", "output", "seed", "format", "labels", "interpolate",
               "direction", "input")


def define_flags():
    flag_values = flags.FlagValues()
    flags.DEFINE_string("model", None, "The model (with --weights).", flag_values=flag_values)
    flags.DEFINE_string("weights", None, "Shipped weights (a name) or a path.",
                        flag_values=flag_values)
    flags.DEFINE_integer("num", 64, "Images to draw (noise-to-image models; with --labels: one "
                         "per label).", lower_bound=1,
                         flag_values=flag_values)
    flags.DEFINE_string("output", "samples.png", "A .png grid, a .npy file, or a folder.",
                        flag_values=flag_values)
    flags.DEFINE_integer("seed", 0, "Seeds the latent points: the same seed, the same images.",
                         lower_bound=0, flag_values=flag_values)
    flags.DEFINE_enum("format", None, ["png", "npy"], "png or npy (default: npy for an "
                      "--output ending in .npy, else png).", flag_values=flag_values)
    flags.DEFINE_list("labels", None, "Classes to draw, comma-separated (conditional models; "
                      "default: cycling through all).", flag_values=flag_values)
    flags.DEFINE_integer("interpolate", None, "Latent walks of this many steps, one a row.",
                         lower_bound=2, flag_values=flag_values)
    flags.DEFINE_string("direction", None, "Translation models: which way (default: the "
                        "first, a_to_b).", flag_values=flag_values)
    flags.DEFINE_string("input", None, "Translation models: an image file or a folder of them.",
                        flag_values=flag_values)
    return flag_values


def slerp(a, b, t):
    """The point a fraction `t` of the way from `a` to `b` along the great circle (the DCGAN
    paper's walks; spherical, as Gaussian latent points lie near a sphere: White 2016)."""
    cos = np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b))
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if omega < 1e-6:
        return (1 - t) * a + t * b
    return (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)


def latent_points(latent_dim, num, seed, steps=None):
    """[num, latent_dim] standard normal points; with `steps`, num // steps walks (at least
    one) of `steps` points each from one random point to another."""
    rng = np.random.default_rng(seed)
    if not steps:
        return rng.standard_normal((num, latent_dim)).astype(np.float32), None
    walks = max(1, num // steps)
    ends = rng.standard_normal((walks, 2, latent_dim))
    z = [slerp(start, end, t) for start, end in ends for t in np.linspace(0, 1, steps)]
    return np.asarray(z, np.float32), walks


def class_labels(given, num_classes, count, per_walk=None):
    """The labels of `count` samples: `given` (strings) repeated, or every class in turn;
    a walk keeps one label (`per_walk` samples a walk)."""
    if given is None:
        return None if num_classes is None else np.arange(count) // (per_walk or 1) % num_classes
    if num_classes is None:
        raise InputError("--labels: this model is not conditional (it draws no classes): drop "
                         "--labels")
    try:
        labels = [int(label) for label in given]
    except ValueError:
        raise InputError(f"--labels={','.join(given)}: labels are class numbers, 0 to "
                         f"{num_classes - 1}") from None
    outside = [label for label in labels if not 0 <= label < num_classes]
    if outside:
        raise InputError(f"--labels: {outside[0]} is not a class of this model: it draws "
                         f"classes 0 to {num_classes - 1}")
    labels = np.asarray(labels)
    index = np.arange(count) // (per_walk or 1)
    return labels[index % len(labels)]


def read_inputs(path, image_shape):
    """([n, h, w, c] in [-1, 1], file names) of an image file or a folder of them, with the
    model's channels; InputError for files that are not images or another size."""
    import tensorflow as tf

    if os.path.isdir(path):
        names = sorted(n for n in os.listdir(path) if n.lower().endswith(sources.IMAGE_EXTENSIONS))
        paths = [os.path.join(path, n) for n in names]
        if not paths:
            raise InputError(f"--input={path} holds no images "
                             f"({', '.join(sources.IMAGE_EXTENSIONS)}): give a folder of images")
    elif os.path.isfile(path):
        paths = [path]
    else:
        raise InputError(f"--input={path}: no such file or folder")
    sources.check_images(paths, f"--input={path}")
    height, width, channels = image_shape
    loaded = []
    for file in paths:
        image = tf.io.decode_image(tf.io.read_file(file), channels=channels,
                                   expand_animations=False)
        if tuple(image.shape[:2]) != (height, width):
            raise InputError(f"--input: {file} is {image.shape[0]}x{image.shape[1]}, and this "
                             f"model translates {height}x{width} images: resize them to "
                             f"{height}x{width}")
        loaded.append(images.from_pixels(image).numpy())
    return np.stack(loaded), [os.path.splitext(os.path.basename(p))[0] for p in paths]


def draw(sampler, flag_values):
    """(images [n, h, w, c] in [-1, 1], grid rows or None, file names or None)."""
    if sampler.latent_dim is not None:  # draws from noise
        for name in ("input", "direction"):
            if flag_values[name].value is not None:
                raise InputError(f"--{name}: this model draws images from noise and translates "
                                 f"none: drop --{name}")
        num = flag_values.num
        if flag_values.labels is not None and not flag_values["num"].present:
            num = len(flag_values.labels)  # --labels=3,3,7: those three
        z, walks = latent_points(sampler.latent_dim, num, flag_values.seed,
                                 flag_values.interpolate)
        labels = class_labels(flag_values.labels, sampler.num_classes, len(z),
                              flag_values.interpolate)
        return evaluate_cli.in_batches(sampler.noise, z, labels), walks, None, None
    for name in ("labels", "interpolate"):
        if flag_values[name].value is not None:
            raise InputError(f"--{name}: this model translates images (--input) and draws "
                             f"none: drop --{name}")
    direction = flag_values.direction or sampler.directions[0]
    if direction not in sampler.directions:
        raise InputError(f"--direction={direction}: this model translates "
                         f"{', '.join(sampler.directions)}: choose one of them")
    if flag_values.input is None:
        raise InputError("this model translates images: give them with --input=FILE or "
                         "--input=FOLDER")
    inputs, names = read_inputs(flag_values.input, sampler.input_shape(direction))
    translated = evaluate_cli.in_batches(lambda x, _: sampler.translate(x, direction), inputs)
    return translated, None, names, inputs


def write(output, form, drawn, inputs=None, rows=None, names=None):
    """Writes the images as `form` (png or npy) to `output`; returns what it wrote."""
    if form == "npy":
        if not output.endswith(".npy"):
            raise InputError(f"--format=npy writes one file: name it NAME.npy, not {output}")
        os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
        np.save(output, images.to_pixels(drawn))
        return f"{output}: {len(drawn)} images as uint8 {list(drawn.shape)}"
    if output.endswith(".png"):
        count = len(drawn)
        if inputs is not None:
            drawn, rows = paired_rows(broadcast(inputs, drawn), drawn)
        pixels = images.grid(drawn, rows)
        os.makedirs(os.path.dirname(output) or ".", exist_ok=True)
        images.write_png(output, images.enlarged(pixels, images.enlargement(drawn.shape[1])))
        return (f"{output}: a grid of {count} images"
                + (", each below its input" if inputs is not None else ""))
    os.makedirs(output, exist_ok=True)
    names = names or [f"{i:0{len(str(len(drawn) - 1))}d}" for i in range(len(drawn))]
    for name, image in zip(names, images.to_pixels(drawn)):
        images.write_png(os.path.join(output, name + ".png"), image)
    return f"{output}: {len(drawn)} PNG files"


def paired_rows(inputs, translated, per_row=8):
    """(images, rows): rows of up to `per_row` inputs, each row above its translations (the
    last pair of rows filled with grey)."""
    per_row = min(per_row, len(translated))
    count = -(-len(translated) // per_row) * per_row

    def rows_of(x):
        x = np.concatenate([x, np.zeros((count - len(x), *x.shape[1:]), np.float32)])
        return x.reshape(-1, per_row, *x.shape[1:])

    paired = np.stack([rows_of(inputs), rows_of(translated)], axis=1)
    return paired.reshape(-1, *translated.shape[1:]), 2 * (count // per_row)


def broadcast(inputs, translated):
    """Grayscale inputs shown beside colour translations."""
    return np.broadcast_to(inputs, inputs.shape[:-1] + (translated.shape[-1],))


def run(argv, fail):
    flag_values = define_flags()
    positional = evaluate_cli.parse(argv, flag_values, __doc__, FLAGS_SHOWN, fail)
    if len(positional) > 1:
        fail(f"generate takes at most one path (a workdir, an export or a .keras file), not "
             f"{' '.join(positional)}")
    sampler, _, _ = evaluate_cli.open_model(positional[0] if positional else None,
                                            flag_values.model, flag_values.weights, "generate")
    form = flag_values.format or ("npy" if flag_values.output.endswith(".npy") else "png")
    drawn, rows, names, inputs = draw(sampler, flag_values)
    print(write(flag_values.output, form, drawn, inputs, rows, names))
