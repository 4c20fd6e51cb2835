"""DCGAN (Radford et al. 2016) on the offline MNIST digits.

    tfgan-zoo --model=dcgan
    tfgan-zoo --config=zoo_configs/dcgan.py:paper    # 64x64 CelebA faces: needs internet and a GPU

Default: the zoo's tuning for a few CPU minutes: Adam at 1e-3 instead of the paper's 2e-4
(at 2e-4 the Fréchet distance is 9x the floor after the same 35 epochs, at 1e-3 6x) and
an EMA generator. Expected (2 CPU cores, measured by tools/make_cards.py): ~3.5 minutes
(35 epochs x 70 steps); mostly readable digits in runs/dcgan/samples.png; classifier
score 7.6 (real digits 9.8), Fréchet distance 6x the floor, recall 0.89, all 10 classes
(docs/models/dcgan.md).

Paper experiment (`:paper`, docs/models/dcgan.md): on paper 1.1 hours on an NVIDIA A100 at
half its float32 peak (tools/paper_times.py: 9.8 GFLOP per trained image x 4,067,200
images).
"""
from zoo_configs import base

# The paper's face experiment (sec. 4.2; its scraped faces were never released, CelebA is
# the set pytorch/examples' DCGAN trains on): 64x64x3, G 4x4x1024 (width 128, fig. 1),
# batch 128, Adam(2e-4, beta_1 0.5), 25 epochs (pytorch/examples' --niter). Faces keep their
# aspect: 218x178 -> 78x64, then a random 64x64 crop and flip (pytorch/examples: a centre
# crop, no flip). No evaluation while training: the shipped digit classifier reads digits.
PAPER = {"dataset": "tfds:celeb_a", "image_size": (64, 64), "load_size": (78, 64),
         "train.batch_size": 128, "train.epochs": 25, "train.jit_compile": True,
         "hparams.width": 128, "eval.every_epochs": 0}


def get_config(arg=None):
    config = base.get_config("dcgan")
    # tools/benchmark.py, three runs: XLA trained this step at 0.72x, 0.96x and 1.06x the speed
    config.train.jit_compile = False
    config.train.epochs = 35
    config.hparams.ema_decay = 0.99
    config.optimizer.d_learning_rate = 1e-3
    config.optimizer.g_learning_rate = 1e-3
    return base.variant(config, arg, tiny=dict(width=4, latent_dim=8), paper=PAPER)
