"""Renders the offline emoji dataset shipped as tfgan_zoo/data/emoji.npz (--dataset=emoji).

    sudo apt-get install fonts-noto-color-emoji unicode-data   # the font and the emoji list
    python tools/build_emoji.py

Reads Unicode 15's emoji/emoji-test.txt (Debian's unicode-data 15.0) and draws each
fully-qualified emoji with Google's Noto Color Emoji (fonts-noto-color-emoji 2.042): Pillow
renders the font's colour bitmaps at size 109 on a white 136x128 canvas, centred on a white
square and downscaled to 64x64 RGB with LANCZOS. About 15 s.

Skin-tone variants are left out: 1,785 of the 3,655 are one of 363 drawings recoloured in
five tones, which would make People & Body 59 % of the set and put recolours of one drawing
on both sides of the split (a held-out "unseen" image that is a training image in another
tone, so the floor and the memorization check would measure nothing). So are the 9 emoji
drawn exactly as an earlier one (flags territories share, "family" and "family: man, man,
boy"): 1,861 remain. Labels: the 9 Unicode groups, and the finer subgroups. The held-out
`test` split is every 5th emoji of each group in the list's order, counted before the
duplicates go (366); `train` the other 1,495.
"""
import collections
import os
import subprocess
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFont

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tfgan_zoo.data import sources  # noqa: E402

PACKAGES = {"fonts-noto-color-emoji": "NotoColorEmoji.ttf", "unicode-data": "emoji-test.txt"}
SKIN_TONES = set(range(0x1F3FB, 0x1F400))  # the five Fitzpatrick modifiers
SIZE = 64
TEST_EVERY = 5


def installed_file(package, name):
    """Where the Debian package put `name` (it says which package to install if it is not)."""
    try:
        listing = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True,
                                 check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        sys.exit(f"needs the Debian package {package}: sudo apt-get install {package}")
    found = [path for path in listing if path.endswith("/" + name)]
    if not found:
        sys.exit(f"{package} holds no {name}: reinstall it (sudo apt-get install --reinstall "
                 f"{package})")
    return found[0]


def emoji_list(path):
    """[(group, subgroup, code points, name)] of the fully-qualified emoji, in the list's order."""
    rows, group, subgroup = [], None, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("# group:"):
                group = line.split(":", 1)[1].strip()
            elif line.startswith("# subgroup:"):
                subgroup = line.split(":", 1)[1].strip()
            elif "; fully-qualified" in line:
                points = [int(p, 16) for p in line.split(";")[0].split()]
                name = line.split("#", 1)[1].split(None, 2)[2].strip()  # after "😀 E1.0"
                rows.append((group, subgroup, points, name))
    return rows


def render(text, font):
    canvas = Image.new("RGB", (136, 128), "white")
    ImageDraw.Draw(canvas).text((0, 0), text, font=font, embedded_color=True)
    square = Image.new("RGB", (136, 136), "white")
    square.paste(canvas, (0, 4))
    return np.asarray(square.resize((SIZE, SIZE), Image.LANCZOS))


def main():
    font = ImageFont.truetype(installed_file("fonts-noto-color-emoji",
                                             PACKAGES["fonts-noto-color-emoji"]), 109)
    rows = [row for row in emoji_list(installed_file("unicode-data", PACKAGES["unicode-data"]))
            if not SKIN_TONES & set(row[2])]
    groups = list(dict.fromkeys(group for group, *_ in rows))
    subgroups = list(dict.fromkeys(subgroup for _, subgroup, *_ in rows))
    seen = collections.Counter()
    images, test = [], []
    for group, _, points, _ in rows:
        images.append(render("".join(map(chr, points)), font))
        test.append(seen[group] % TEST_EVERY == TEST_EVERY - 1)
        seen[group] += 1
    images = np.stack(images)
    first = {}  # identical drawings (France, St. Martin and Clipperton Island share a flag)
    keep = np.array([first.setdefault(image.tobytes(), i) == i for i, image in enumerate(images)])
    rows, images, test = [r for r, k in zip(rows, keep) if k], images[keep], np.array(test)[keep]
    print(f"left out {int((~keep).sum())} emoji drawn exactly as an earlier one")
    blank = np.all(images.reshape(len(images), -1) == 255, axis=1)
    if blank.any():
        sys.exit(f"{int(blank.sum())} emoji rendered blank (first: {rows[int(np.argmax(blank))][3]})"
                 ": the font is older than the list; install fonts-noto-color-emoji 2.042 or later")
    np.savez_compressed(
        sources.EMOJI_FILE, images=images,
        labels=np.array([groups.index(r[0]) for r in rows], np.uint8),
        subgroups=np.array([subgroups.index(r[1]) for r in rows], np.uint8),
        test=np.array(test), group_names=np.array(groups), subgroup_names=np.array(subgroups),
        names=np.array([r[3] for r in rows]),
        code_points=np.array([" ".join(f"{p:04X}" for p in r[2]) for r in rows]))
    counts = collections.Counter(r[0] for r in rows)
    print(f"{len(rows)} emoji ({int(np.sum(test))} test), {len(subgroups)} subgroups; "
          + ", ".join(f"{g} {counts[g]}" for g in groups))
    print(f"{sources.EMOJI_FILE}: {os.path.getsize(sources.EMOJI_FILE) / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
