"""pix2pix (Isola et al. 2017) completing the offline MNIST digits: each input is the digit
with a block of a quarter to a third of it removed, the target the whole digit.

    tfgan-zoo --model=pix2pix
    tfgan-zoo --config=zoo_configs/pix2pix.py:edges --workdir=runs/pix2pix-edges  # outline -> digit
    tfgan-zoo --config=zoo_configs/pix2pix.py:colorization --workdir=runs/pix2pix-color  # gray -> colour
    tfgan-zoo --config=zoo_configs/pix2pix.py:paper    # 256x256 facades: needs ./facades (see PAPER) and a GPU
    tfgan-zoo --model=pix2pix --dataset=paired:PATH --config.image_size='(256, 256)'  # PATH: your A|B files
    tfgan-zoo --model=pix2pix --dataset=folder:INPUTS --config.dataset_b=folder:TARGETS  # your two folders

Default: width 32 (the paper: 64) and a PatchGAN whose logits judge 34x34 pixels
(d_layers=2: about the whole 28x28 digit; the paper's 70x70 is d_layers=3). The paper's
batches of 1 to 10 would be thousands of steps per epoch here; the zoo trains on 64.
Expected (2 CPU cores, measured by tools/make_cards.py): ~5.3 minutes (25 epochs x 70
steps); in runs/pix2pix/samples.png rows of damaged inputs, completions and targets; the
classifier reads 93 % of the completed held-out digits as their class (57 % of the damaged
inputs, 98 % of the whole digits), PSNR 18.7 dB (inputs 15.2). `edges`: 98 % in 5.0
minutes. `colorization` is a small demonstration on two photographs: PSNR 28.8 dB on
held-out crops against 25.6 for the grayscale copied to three channels, in 6.0 minutes
(docs/models/pix2pix.md).

Paper experiment (`:paper`, docs/models/pix2pix.md): on paper 14 minutes on an NVIDIA A100
at half its float32 peak (tools/paper_times.py: 101 GFLOP per trained image x 80,000
images).
"""
from zoo_configs import base

# The paper's facades, labels -> photo (sec. 4, B -> A: the photo is the file's left half):
# download http://efrosgans.eecs.berkeley.edu/pix2pix/datasets/facades.tar.gz and unpack it
# here (facades/train, facades/val). 256x256 pairs loaded at 286 and cropped and flipped
# alike, the U-Net 256 and a 70x70 PatchGAN of width 64, batch 1, lambda 100, 100 epochs at
# Adam(2e-4, beta_1 0.5) and 100 decaying to 0 (the reference code's defaults).
PAPER = {"dataset": "paired:facades", "input_side": "right", "image_size": (256, 256),
         "load_size": (286, 286), "train.batch_size": 1, "train.epochs": 200,
         "hparams.width": 64, "hparams.d_layers": 3, "optimizer.decay_from_epoch": 100,
         "eval.every_epochs": 0}
# the other offline tasks, as variants: their data and epochs
TASKS = {"edges": {"dataset": "edges"},
         "colorization": {"dataset": "colorization", "train.epochs": 60}}
# the shipped weights (tools/pretrain.py pix2pix:NAME): each task trained 2-4x longer
PRETRAIN = {"completion": {"train.epochs": 100, "optimizer.decay_from_epoch": 50,
                           "eval.every_epochs": 10},
            "edges": {"dataset": "edges", "train.epochs": 50, "optimizer.decay_from_epoch": 25,
                      "eval.every_epochs": 10},
            "colorization": {"dataset": "colorization", "train.epochs": 120,
                             "optimizer.decay_from_epoch": 60, "eval.every_epochs": 20}}


def get_config(arg=None):
    config = base.get_config("pix2pix")
    config.dataset = "completion"
    config.dataset_b = ""  # the targets' folder, with --dataset=folder:INPUTS
    config.input_side = "left"  # paired:PATH files: which half is the input
    config.train.epochs = 25
    config.train.jit_compile = False  # measured: XLA trains this U-Net at 0.4-0.7x the speed
    config.hparams.width = 32
    config.hparams.d_layers = 2
    return base.variant(config, arg, tiny=dict(width=4, depth=2, dropout_blocks=1), paper=PAPER,
                        others=TASKS, pretrain=PRETRAIN)
