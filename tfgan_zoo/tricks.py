"""The training tricks every GAN can switch on with a constructor argument (see `GAN`).

Each trick's code lives here; the model calls it from one place:
  instance noise, DiffAugment   `GAN.discriminate` (D's inputs, every call)
  R1 penalty                    `GAN.discriminate_real` (D on real data)
  EMA generator                 `GAN.train_step`, after each generator update
  label smoothing               `losses.adversarial`
  spectral normalization        `networks.maybe_spectral_norm` (the models' D builders)
Random draws come from the step's `ReplicaNoise`, so they do not depend on the
number of replicas and a resumed run repeats them.
"""
import keras
import tensorflow as tf

from tfgan_zoo.errors import InputError


# --- instance noise (Sønderby et al. 2017, sec. 4; Arjovsky & Bottou 2017) ------

def instance_noise_stddev(step, stddev, anneal_steps):
    """Gaussian noise on D's inputs: `stddev` at step 0, linearly down to 0 at `anneal_steps`."""
    step = tf.cast(step, tf.float32)
    remaining = tf.clip_by_value(1.0 - step / float(max(anneal_steps, 1)), 0.0, 1.0)
    return stddev * remaining


# --- differentiable augmentation (Zhao et al. 2020, "Differentiable Augmentation
# for Data-Efficient GAN Training", arXiv:2006.10738) ---------------------------

def translation(images, noise, ratio=0.125):
    """Shifts each image by up to `ratio` of its size, filling with zeros."""
    height, width = images.shape[1], images.shape[2]
    shift_y, shift_x = int(height * ratio + 0.5), int(width * ratio + 0.5)
    dy = tf.cast(tf.floor(noise.uniform() * (2 * shift_y + 1)), tf.int32) - shift_y
    dx = tf.cast(tf.floor(noise.uniform() * (2 * shift_x + 1)), tf.int32) - shift_x
    padded = tf.pad(images, [[0, 0], [shift_y, shift_y], [shift_x, shift_x], [0, 0]])
    rows = tf.range(height)[None, :] + shift_y - dy[:, None]  # [batch, height]
    cols = tf.range(width)[None, :] + shift_x - dx[:, None]
    shifted = tf.gather(padded, rows, axis=1, batch_dims=1)
    return tf.gather(shifted, cols, axis=2, batch_dims=1)


def cutout(images, noise, ratio=0.5):
    """Zeros one square of `ratio` times the image size at a random place in each image."""
    height, width = images.shape[1], images.shape[2]
    size_y, size_x = int(height * ratio + 0.5), int(width * ratio + 0.5)
    top = tf.floor(noise.uniform() * (height + 1 - size_y % 2)) - size_y // 2
    left = tf.floor(noise.uniform() * (width + 1 - size_x % 2)) - size_x // 2
    rows = tf.range(height, dtype=tf.float32)[None, :] - top[:, None]
    cols = tf.range(width, dtype=tf.float32)[None, :] - left[:, None]
    inside_rows = tf.cast((rows >= 0) & (rows < size_y), images.dtype)
    inside_cols = tf.cast((cols >= 0) & (cols < size_x), images.dtype)
    hole = inside_rows[:, :, None] * inside_cols[:, None, :]  # [batch, height, width]
    return images * (1.0 - hole)[..., None]


def color(images, noise):
    """Random brightness, saturation and contrast per image."""
    def per_image(draw):
        return tf.reshape(draw, [-1, 1, 1, 1])

    images = images + per_image(noise.uniform() - 0.5)
    mean = tf.reduce_mean(images, axis=3, keepdims=True)
    images = (images - mean) * per_image(noise.uniform() * 2.0) + mean
    mean = tf.reduce_mean(images, axis=[1, 2, 3], keepdims=True)
    return (images - mean) * per_image(noise.uniform() + 0.5) + mean


AUGMENTATIONS = {"translation": translation, "cutout": cutout, "color": color}


def parse_augment(augment):
    """"translation,cutout" -> ("translation", "cutout"); "" -> ()."""
    names = tuple(name.strip() for name in augment.split(",") if name.strip())
    unknown = [name for name in names if name not in AUGMENTATIONS]
    if unknown:
        raise InputError(f"unknown augmentation {unknown[0]!r}: augment is a comma-separated "
                         f"list of {', '.join(AUGMENTATIONS)} (e.g. 'translation,cutout')")
    return names


def diff_augment(images, noise, names):
    """The augmentations `names`, in order, with fresh draws for every image."""
    for name in names:
        images = AUGMENTATIONS[name](images, noise)
    return images


# --- EMA generator (Yazıcı et al. 2019, "The Unusual Effectiveness of Averaging
# in GAN Training", arXiv:1806.04498) -------------------------------------------

def average_of(network):
    """A copy of `network` to hold the moving average of its weights."""
    average = keras.models.clone_model(network)
    average.set_weights(network.get_weights())
    average.trainable = False
    return average


def update_average(average, network, decay):
    """average <- decay * average + (1 - decay) * network, for every weight (batch
    norm's statistics too)."""
    for averaged, weight in zip(average.weights, network.weights):
        averaged.assign(decay * averaged + (1.0 - decay) * weight)
