import numpy as np
import pytest
from conftest import tiny

import tfgan_zoo
from tfgan_zoo import losses


def test_vanilla_is_mlps_with_selectable_loss(batches):
    default = tiny("vanilla")
    assert default.adversarial.generator is losses.non_saturating_generator
    kinds = {type(layer).__name__ for model in (default.generator, default.discriminator)
             for layer in model.layers}
    assert "Dense" in kinds and not any("Conv" in kind for kind in kinds)
    minimax = tiny("vanilla", loss="minimax")
    logs = minimax.train_on_batch(batches["images"], return_dict=True)
    # minimax G loss is log(1 - D(G(z))) < 0, the non-saturating one -log D(G(z)) > 0
    assert logs["g_loss"] < 0 < default.train_on_batch(batches["images"], return_dict=True)["g_loss"]
    assert minimax.get_config()["loss"] == "minimax"


def test_unknown_loss_is_a_clear_error():
    with pytest.raises(tfgan_zoo.InputError, match="^loss must be one of non_saturating, minimax, "
                       "wasserstein, hinge, least_squares, not 'nope'$"):
        tfgan_zoo.models.get("vanilla", loss="nope")
    with pytest.raises(tfgan_zoo.InputError, match="model 'vanilla' has no hyperparameter widht: valid are.*hidden"):
        tfgan_zoo.models.get("vanilla", widht=3)
    assert np.isfinite(tiny("vanilla").generate(n=2)).all()
