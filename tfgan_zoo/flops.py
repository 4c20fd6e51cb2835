"""Floating-point operations of a traced computation, counted op by op from its graph.

Each layer's work is its matrix products: a Dense layer's MatMul, a convolution's
Conv2D (a transposed convolution's Conv2DBackpropInput), and in a training step
their gradient ops (Conv2DBackpropInput for the input, Conv2DBackpropFilter for the
kernel, two more MatMuls). One multiply-add counts as 2 FLOPs. Elementwise ops (batch
norm, activations, the optimizer's update) are not counted: they are a few FLOPs per
value and bound by memory, not arithmetic. The count covers every op of the traced
graph that runs: what the outputs or a state change (a variable update) need, as
TensorFlow prunes the rest (e.g. the input gradient of a network no update trains).
So a gradient penalty's double backward and every network a step calls are in it.
It needs static shapes (a dataset with a fixed batch size).
"""
import collections

import tensorflow as tf


def _numel(shape):
    if not shape.is_fully_defined():
        raise ValueError(f"cannot count FLOPs of an op with the unknown shape {shape}: "
                         "trace with fixed shapes (e.g. drop_remainder=True batches)")
    return shape.num_elements()


def _convolution(dy, kernel):
    # dy [batch, h_out, w_out, c_out], kernel [kh, kw, c_in, c_out]: each output value
    # is kh * kw * c_in multiply-adds, and so is each gradient value of either input.
    return 2 * _numel(dy) * _numel(kernel) // kernel[-1]


def _matmul(op, left, transposed):
    inner = left.shape[-2] if op.get_attr(transposed) else left.shape[-1]
    return 2 * _numel(op.outputs[0].shape) * inner


COUNTERS = {
    "Conv2D": lambda op: _convolution(op.outputs[0].shape, op.inputs[1].shape),
    "Conv2DBackpropInput": lambda op: _convolution(op.inputs[2].shape, op.inputs[1].shape),
    "Conv2DBackpropFilter": lambda op: _convolution(op.inputs[2].shape, op.outputs[0].shape),
    "MatMul": lambda op: _matmul(op, op.inputs[0], "transpose_a"),
    "BatchMatMulV2": lambda op: _matmul(op, op.inputs[0], "adj_x"),
}


def running(graph):
    """The ops of `graph` that its outputs or its stateful ops depend on."""
    stack = [t.op for t in graph.outputs]
    stack += [op for op in graph.get_operations() if op.op_def.is_stateful]
    seen = set()
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return seen


def of_graph(graph):
    """{op type: FLOPs} of the matrix products in `graph` that run."""
    counts = collections.Counter()
    for op in running(graph):
        if op.type in COUNTERS:
            counts[op.type] += COUNTERS[op.type](op)
    return dict(counts)


def of_function(fn, *input_signature):
    """Total FLOPs of one call of `fn` on inputs of `input_signature` (tf.TensorSpecs)."""
    graph = tf.function(fn, autograph=False).get_concrete_function(*input_signature).graph
    return sum(of_graph(graph).values())


def train_step(gan, element_spec):
    """FLOPs of one `gan.train_step` on a batch of `element_spec` (a dataset's)."""
    return of_function(gan.train_step, element_spec)


def forward(network, image_shape=None):
    """FLOPs of `network` on one example (inference mode); a fully convolutional network
    (sides None) on one image of `image_shape` (its other inputs' unknown sides: 1)."""
    def fixed(x, i):
        shape = list(x.shape[1:])
        if None in shape and image_shape is not None:
            sides = list(image_shape[:2]) if i == 0 else [1, 1]
            shape = [sides.pop(0) if s is None else s for s in shape]
        return tf.TensorSpec([1, *shape], x.dtype)

    specs = [fixed(x, i) for i, x in enumerate(network.inputs)]
    inputs = specs[0] if len(specs) == 1 else specs
    return of_function(lambda x: network(x, training=False), inputs)


def matrix_ops(graph):
    """The matrix-product ops of `graph` that run (see `running`)."""
    return [op for op in running(graph) if op.type in COUNTERS]


def replay(ops):
    """A function that runs a copy of each of `ops` (same type, shapes and attributes) on
    random inputs: their time alone, as the step's graph runs them."""
    import inspect

    calls = []
    for op in ops:
        raw = getattr(tf.raw_ops, op.type)
        accepted = inspect.signature(raw).parameters
        attrs = {a: op.get_attr(a) for a in op.node_def.attr if a in accepted}
        inputs = {}
        for arg, tensor in zip(op.op_def.input_arg, op.inputs):
            if tensor.dtype.is_integer:  # a shape argument: the gradient's shape
                inputs[arg.name] = tf.constant(op.outputs[0].shape.as_list(), tensor.dtype)
            else:
                inputs[arg.name] = tf.random.normal(tensor.shape, dtype=tensor.dtype)
        calls.append((raw, inputs, attrs))

    @tf.function(autograph=False)
    def run():
        return [tf.reduce_sum(raw(**inputs, **attrs)[:1]) for raw, inputs, attrs in calls]

    return run
