"""Issue 16's promises that tests can hold: the FLOP count against a hand computation,
the XLA fallback, mixed precision for every model, and the benchmark's every figure
(its smoke mode). Speeds themselves are measured by tools/benchmark.py, not asserted."""
import json
import os
import subprocess
import sys
from unittest import mock

import keras
import numpy as np
import pytest
import tensorflow as tf
from conftest import batch_for, tensors, tiny, tiny_config, weights

import tfgan_zoo
from tfgan_zoo import flops, losses, precision, train
from tfgan_zoo.models.dcgan import DCGAN

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NAMES = tfgan_zoo.models.names()


def test_a_convolutions_flops_are_counted_as_by_hand():
    # 3x3 conv, 2 -> 4 channels, 8x8 "same", batch 2: every output value is 3*3*2
    # multiply-adds, 2 FLOPs each
    conv = keras.layers.Conv2D(4, 3, padding="same")
    spec = tf.TensorSpec([2, 8, 8, 2])
    by_hand = 2 * (2 * 8 * 8 * 4) * (3 * 3 * 2)
    assert by_hand == 18_432
    assert flops.of_function(conv, spec) == by_hand

    def weight_gradient(x):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.square(conv(x)))  # needs the forward values
        return tape.gradient(y, conv.trainable_variables)

    def both_gradients(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.square(conv(x)))  # needs the forward values
        return tape.gradient(y, [x, *conv.trainable_variables])

    # the backward pass of each input it reaches costs as much as the forward pass
    assert flops.of_function(weight_gradient, spec) == 2 * by_hand
    assert flops.of_function(both_gradients, spec) == 3 * by_hand


def test_dense_and_transposed_convolution_flops_are_counted_as_by_hand():
    assert flops.of_function(keras.layers.Dense(5), tf.TensorSpec([3, 7])) == 2 * 3 * 7 * 5
    # a transposed conv: each input value spreads over 4*4*6 outputs
    up = keras.layers.Conv2DTranspose(6, 4, strides=2, padding="same")
    assert flops.of_function(up, tf.TensorSpec([2, 5, 5, 3])) == 2 * (2 * 5 * 5 * 3) * (4 * 4 * 6)


def test_a_training_step_counts_every_networks_forward_and_backward():
    gan, dataset = train.build(tiny_config("dcgan"))
    forward = {name: flops.forward(getattr(gan, name)) for name in gan.network_names}
    batch = dataset.element_spec.shape[0]
    step = flops.train_step(gan, dataset.element_spec)
    # D's update: G forward, D forward and backward on real and fake; G's update: G
    # forward and backward, D forward and backward (to its input only). Backward is about
    # twice the forward, less D's first layer's input gradient: between 8D+4G and 9D+4G.
    low = batch * (4 * forward["generator"] + 7 * forward["discriminator"])
    high = batch * (4 * forward["generator"] + 9 * forward["discriminator"])
    assert low < step <= high, (step / batch, forward)


def test_the_replayed_matrix_products_are_the_steps_own():
    gan, dataset = train.build(tiny_config("dcgan"))
    graph = tf.function(gan.train_step, autograph=False).get_concrete_function(
        dataset.element_spec).graph
    ops = flops.matrix_ops(graph)
    assert {op.type for op in ops} == {"Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter",
                                       "MatMul"}
    replay = flops.replay(ops)
    # the same ops with the same shapes and transposes: the same count, op type by op type
    assert flops.of_graph(replay.get_concrete_function().graph) == flops.of_graph(graph)
    assert all(np.isfinite(output.numpy()) for output in replay())


def test_unknown_batch_sizes_are_refused_with_the_fix():
    with pytest.raises(ValueError, match="fixed shapes"):
        flops.of_function(keras.layers.Dense(2), tf.TensorSpec([None, 3]))


# --- XLA fallback ---------------------------------------------------------------------

def with_an_op_xla_lacks(original):
    def discriminator_losses(self, *batch):
        terms, stats = original(self, *batch)
        logged = tf.numpy_function(lambda v: v, [stats["d_real"]], tf.float32, stateful=False)
        stats["d_real"] = tf.ensure_shape(logged, stats["d_real"].shape)
        return terms, stats
    return discriminator_losses


def test_a_step_xla_cannot_compile_trains_without_it_and_says_so(tmp_path, capsys):
    config = tiny_config("dcgan")
    config.train.update(run_eagerly=False, jit_compile=True, steps_per_epoch=3)
    patched = with_an_op_xla_lacks(DCGAN.discriminator_losses)
    with mock.patch.object(DCGAN, "discriminator_losses", patched):
        out = train.run(config, str(tmp_path / "run"))
    printed = capsys.readouterr().out
    assert ("XLA cannot compile this model's training step (it has no XLA kernel for PyFuncStateless): "
            "it trains without XLA (config.train.jit_compile=False skips the attempt)") in printed
    assert os.path.isdir(out.saved_model)
    steps = tensors(os.path.join(out.logs, "train"))["batch_d_loss"]
    assert len(steps) == 3  # each step once: the failed attempt trained nothing


def test_other_errors_are_not_taken_for_xla_failures():
    assert train.xla_failure("Incompatible shapes: [2,3] vs. [3,2]") is None
    assert train.xla_failure(
        "Detected unsupported operations when trying to compile graph __inference_f_5[] on "
        "XLA_GPU_JIT: AsString (No registered 'AsString' OpKernel") == (
        "it has no XLA kernel for AsString")


# --- mixed precision ---------------------------------------------------------------

def trained(name, policy, steps=2):
    config = tiny_config(name)
    config.train.precision = policy
    gan, dataset = train.build(config)
    before = weights(gan)
    history = gan.fit(dataset, epochs=1, steps_per_epoch=steps, verbose=0)
    return gan, before, history.history


@pytest.mark.parametrize("name", NAMES)
def test_mixed_float16_trains_every_model_with_loss_scaling_for_both_optimizers(name):
    gan, before, logs = trained(name, "mixed_float16")
    assert gan.generator.compute_dtype == "float16"
    assert gan.generator.weights[0].dtype == "float32"
    for optimizer in (gan.d_optimizer, gan.g_optimizer):
        assert isinstance(optimizer, keras.optimizers.LossScaleOptimizer)
    assert gan.optimizer is gan.g_optimizer  # Keras did not wrap it a second time
    assert all(np.isfinite(v).all() for values in logs.values() for v in values), logs
    after = weights(gan)
    assert all(np.isfinite(w).all() for w in after)
    assert any(not np.array_equal(a, b) for a, b in zip(before, after))
    assert int(gan.g_optimizer.iterations) == 2  # a skipped update still counts
    # float32 at the serving boundary
    fn, signature = next(iter(gan.serving_signatures().values()))
    inputs = tf.nest.map_structure(
        lambda s: tf.zeros([2, *(side or 32 for side in s.shape[1:])], s.dtype), signature[0])
    outputs = fn(inputs)
    assert outputs["images"].dtype == tf.float32 and outputs["pixels"].dtype == tf.uint8
    assert gan.preview(gan.preview_inputs(num_samples=10, data=tf.data.Dataset.from_tensors(
        (np.zeros((2, *gan.image_shape), np.float32),) * 2)))[0].dtype == np.float32


@pytest.mark.slow
@pytest.mark.parametrize("name", NAMES)
def test_mixed_bfloat16_trains_every_model_without_loss_scaling(name):
    gan, before, logs = trained(name, "mixed_bfloat16")
    assert gan.generator.compute_dtype == "bfloat16"
    assert not isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert all(np.isfinite(v).all() for values in logs.values() for v in values), logs
    assert all(np.isfinite(w).all() for w in weights(gan))


def penalty_gradient(policy, scale):
    """d GP / d kernel of a critic whose input gradient is 1e-8 a pixel."""
    with precision.policy(policy):
        layer = keras.layers.Dense(1, use_bias=False,
                                   kernel_initializer=keras.initializers.Constant(1e-4))
        layer.build((None, 16))
    small = tf.constant(1e-4, layer.compute_dtype)

    def critic(x):
        return precision.float32(layer(tf.reshape(x, [2, 16])) * small)

    with tf.GradientTape() as tape:
        penalty = tf.reduce_mean(losses.gradient_penalty(
            critic, tf.zeros([2, 4, 4, 1]), tf.ones([2, 4, 4, 1]), tf.constant([0.5, 0.5]),
            scale=scale))
    return tape.gradient(penalty, layer.kernel).numpy()


def test_the_gradient_penalty_is_taken_through_the_loss_scale_under_mixed_float16():
    exact = penalty_gradient("float32", 1.0)
    assert np.all(exact < 0)
    # in float16 an input gradient of 1e-8 underflows, and so does the penalty's pull on
    # D's weights, unless the inner gradient is taken of scaled scores
    assert np.all(penalty_gradient("mixed_float16", 1.0) == 0)
    np.testing.assert_allclose(penalty_gradient("mixed_float16", 2.0**15), exact, rtol=0.05)

    gan, _, logs = trained("wgan_gp", "mixed_float16", steps=6)
    assert all(np.isfinite(v).all() for values in logs.values() for v in values)
    # the dynamic scale starts at 2^15 and halves at each non-finite update: it held
    assert float(gan.d_optimizer.dynamic_scale) >= 2.0**12


def test_an_unknown_precision_is_one_line_naming_the_choices():
    config = tiny_config("dcgan")
    config.train.precision = "float16"
    with pytest.raises(tfgan_zoo.errors.InputError, match="^config.train.precision must be one of "
                       "float32, mixed_float16, mixed_bfloat16, not 'float16'$"):
        train.build(config)


# --- the benchmark ------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_the_hand_written_step_trains_every_network_of_every_model(name, batches):
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import hand_written

    gan = tiny(name)
    before = [w.numpy().copy() for w in gan.trainable_weights]
    # eagerly (its python_function): tracing would take longer than the tiny step
    step = hand_written.step_for(gan, gan.d_optimizer, gan.g_optimizer,
                                 jit_compile=False).python_function
    batch = tf.nest.map_structure(tf.constant, batch_for(gan, batches))
    losses = step(*batch) if isinstance(batch, tuple) else step(batch)
    assert all(np.isfinite(float(loss)) for loss in losses)
    after = gan.trainable_weights
    for network in gan.network_names:
        names = {w.path for w in getattr(gan, network).trainable_weights}
        assert any(not np.array_equal(b, a.numpy()) for b, a in zip(before, after)
                   if a.path in names), network


@pytest.mark.slow
def test_the_benchmark_produces_every_figure(tmp_path):
    output = tmp_path / "benchmark.json"
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "tools", "benchmark.py"), "--smoke", "dcgan",
         f"--output={output}"],
        capture_output=True, text=True, timeout=900,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert result.returncode == 0, result.stderr[-3000:]
    results = json.loads(output.read_text())
    figures = [results["pipelines"]["folder of PNGs"]]
    for name in ("dcgan",):  # the other models' steps: the test above
        figures += [rate for rates in results["training"][name].values() for rate in rates]
        figures += results["roof"][name]
        assert len(results["roof"][name]) == 2  # before the one repeat and after it
        cost = results["costs"][name]
        figures += [cost["flops_per_image"], cost["profiler_flops_per_image"],
                    cost["bytes_per_image"], *cost["forward_flops"].values()]
        figures += [results["pipelines"][name], results["memory"][name],
                    *results["serving"][name].values()]
        assert sorted(results["serving"][name]) == ["1", "256", "64"]
        assert set(results["training"][name]) == {"zoo", "hand", "zoo_xla", "hand_xla",
                                                  "matrix_alone"}
    assert all(np.isfinite(f) and f > 0 for f in figures), figures
    assert "| dcgan |" in result.stdout


def test_the_benchmark_measures_a_ratio_a_b_b_a_so_a_steady_drift_cancels():
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import benchmark

    calls = []

    def runner(variant):
        def run(warmup, steps):  # the machine slows by 5 % a measurement; both run at 100
            calls.append((variant, steps))
            return 100 * (1 - 0.05 * (len(calls) - 1))
        return run

    rates = benchmark.abba({"zoo": runner("zoo"), "hand": runner("hand")}, ("zoo", "hand"),
                           warmup=10, steps=30)
    assert calls == [("zoo", 15), ("hand", 15), ("hand", 15), ("zoo", 15)]
    # taken back to back instead, the ratio would be 100 / 95 = 1.053
    assert rates["zoo"] / rates["hand"] == pytest.approx(1, abs=0.01)


def test_a_repeats_share_of_the_roof_is_over_the_roof_measured_around_it():
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import benchmark

    # the machine slowed from 300 to 100 GFLOP/s over the first repeat, then sped up
    results = {"roof": {"dcgan": [300e9, 100e9, 200e9]}}
    shares = benchmark.shares(results, "dcgan", [100e9, 75e9])
    assert shares == pytest.approx([0.5, 0.5])


def test_the_distributed_tool_times_a_config_that_runs_several_steps_per_call(monkeypatch):
    # fit() then reports one batch end per call, not per step (vanilla's default runs 10)
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import distributed

    config = tiny_config("vanilla")
    config.train.update(steps_per_execution=3, run_eagerly=False)
    config.eval.every_epochs = 0
    monkeypatch.setattr(distributed, "config_for", lambda name, layout: config)
    rate = distributed.measure_here("vanilla", "default", warmup=3, steps=6)
    assert np.isfinite(rate) and rate > 0


def test_merge_replaces_the_models_measured_again_and_keeps_the_others(tmp_path):
    sys.path.insert(0, os.path.join(ROOT, "tools"))
    import benchmark

    settings = {"repeats": 5, "warmup": 10, "steps": 30, "duration": 3.0, "smoke": False}
    machine = {"cores": 2}
    old = {"machine": machine, "settings": settings,
           "training": {"dcgan": {"zoo": [800]}, "wgan": {"zoo": [1500]}},
           "pipelines": {"dcgan": 2e5, "wgan": 2e5, "folder of PNGs": 2e5}}
    path = tmp_path / "benchmark.json"
    path.write_text(json.dumps(old))
    benchmark.check_mergeable(str(path), settings)
    new = {"machine": machine, "settings": settings, "training": {"wgan": {"zoo": [2000]}},
           "pipelines": {"wgan": 3e5, "folder of PNGs": 1e5}}
    results = benchmark.merged(str(path), new)
    assert results["training"] == {"dcgan": {"zoo": [800]}, "wgan": {"zoo": [2000]}}
    assert results["pipelines"] == {"dcgan": 2e5, "wgan": 3e5, "folder of PNGs": 1e5}
    assert results["remeasured"] == ["wgan"]
    assert "Measured again in a later run (`--merge`): wgan." in benchmark.measured_over(
        {**results, "steps": {"dcgan": 39, "wgan": 100}})
    with pytest.raises(SystemExit, match="measured with"):
        benchmark.check_mergeable(str(path), {**settings, "repeats": 3})
    with pytest.raises(SystemExit, match="no .* to merge into"):
        benchmark.check_mergeable(str(tmp_path / "missing.json"), settings)


@pytest.mark.slow
def test_ab_measures_two_variants_round_after_round():
    result = subprocess.run(
        [sys.executable, os.path.join(ROOT, "tools", "ab.py"), "dcgan", "zoo", "hand",
         "--smoke", "--steps_per_execution=2"],
        capture_output=True, text=True, timeout=600,
        env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"})
    assert result.returncode == 0, result.stderr[-3000:]
    rounds = [line for line in result.stdout.splitlines() if line.startswith("round ")]
    assert [line.split(":")[0] for line in rounds] == ["round 1/2", "round 2/2"]
    ratios = [float(line.rsplit(" ", 1)[1]) for line in rounds]
    assert all(np.isfinite(r) and r > 0 for r in ratios), rounds
    assert "dcgan zoo / hand over 4 steps a variant, 2 rounds: " in result.stdout
