import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** JSON as Python's `json.loads` reads it. */
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// The constructor arguments Keras 2's own layers accept, for the classes our two networks use. tfjs-layers
// writes Keras-compatible configs, but a key outside these lists would make `keras.models.load_model` fail,
// so the export refuses it rather than writing a file Keras cannot read.
const COMMON_KEYS = ['name', 'trainable', 'dtype', 'batch_input_shape'];
const INITIALISED_KEYS = [
  'activation',
  'use_bias',
  'kernel_initializer',
  'bias_initializer',
  'kernel_regularizer',
  'bias_regularizer',
  'activity_regularizer',
  'kernel_constraint',
  'bias_constraint',
];
const KERAS_LAYER_KEYS: Record<string, readonly string[]> = {
  Dense: ['units', ...INITIALISED_KEYS],
  Conv2D: ['filters', 'kernel_size', 'strides', 'padding', 'data_format', 'dilation_rate', ...INITIALISED_KEYS],
  Dropout: ['rate', 'noise_shape', 'seed'],
  Activation: ['activation'],
  MaxPooling2D: ['pool_size', 'strides', 'padding', 'data_format'],
  Flatten: ['data_format'],
};

/**
 * The model's architecture as Keras 2 serialises it (`{"class_name": "Sequential", "config": {...}}`), for
 * the `model_config` attribute; throws naming the layer when one has no Keras equivalent.
 */
export function kerasModelConfig(model: tfl.LayersModel): { class_name: string; config: Json } {
  // toJSON adds tfjs's own keras_version and backend beside the architecture; Keras keeps those elsewhere.
  const { class_name, config } = model.toJSON(null, false) as { class_name: string; config: { layers?: Json } };
  if (class_name !== 'Sequential' || !Array.isArray(config.layers)) {
    throw new Error(`cannot export ${model.name} to Keras: only Sequential models are supported, not ${class_name}`);
  }
  for (const layer of config.layers) checkKerasLayer(layer);
  return { class_name, config: config as Json };
}

function checkKerasLayer(layer: Json): void {
  const { class_name: className, config } = layer as { class_name: string; config: Record<string, Json> };
  const allowed = KERAS_LAYER_KEYS[className];
  if (allowed === undefined) throw new Error(`cannot export layer ${String(config.name)} to Keras: unknown class ${className}`);
  const foreign = Object.keys(config).filter((key) => !allowed.includes(key) && !COMMON_KEYS.includes(key));
  if (foreign.length > 0) {
    throw new Error(`cannot export layer ${String(config.name)} to Keras: ${className} has no option ${foreign.join(', ')}`);
  }
}

/**
 * How the model was compiled, as Keras 2 records it in `training_config` so that `load_model` returns it
 * compiled: the notebook's RMSprop (hyperparameters read from the model's optimizer when it has one),
 * categorical cross-entropy and accuracy. Keras's defaults fill in for an uncompiled model.
 */
export function kerasTrainingConfig(model: tfl.LayersModel): Json {
  // Uncompiled models (such as ones loaded from model.json) have no optimizer, whatever the type says.
  const optimizer = model.optimizer as tf.Optimizer | undefined;
  const rms = optimizer !== undefined && optimizer instanceof tf.RMSPropOptimizer ? optimizer.getConfig() : {};
  const number = (key: string, fallback: number): number => (typeof rms[key] === 'number' ? (rms[key] as number) : fallback);
  return {
    loss: 'categorical_crossentropy',
    metrics: ['accuracy'],
    weighted_metrics: null,
    loss_weights: null,
    sample_weight_mode: null,
    optimizer_config: {
      class_name: 'RMSprop',
      config: {
        name: 'RMSprop',
        learning_rate: number('learningRate', 0.001),
        decay: 0.0,
        rho: number('decay', 0.9),
        momentum: number('momentum', 0.0),
        epsilon: number('epsilon', 1e-7),
        centered: rms.centered === true,
      },
    },
  };
}
