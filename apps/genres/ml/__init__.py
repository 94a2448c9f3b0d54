"""Multi-label genre prediction from a movie's poster and plot (pure ML: no ORM here).

Modules: ``vocab`` (the 24 IMDb genres), ``data`` (loaders + deterministic split), ``images``
(safe poster loading), ``encoders`` (transformers / timm through settings-configurable names),
``features`` (per-encoder feature cache), ``heads`` (text, image and five fusion heads),
``train`` (training loop + thresholds), ``metrics``, ``explain`` (Grad-CAM, token attributions,
modality weights), ``detection`` (pluggable object-detector interface), ``predictor`` (the
deployed artifact), ``experiment`` (run a configured comparison), ``benchmark`` (``benchmark_models``),
``suggest`` (the deployed model: its recipe in ``train``, cross-fitting, the registry's ``load``).
"""
