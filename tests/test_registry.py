"""Versioned model folders: add, promote, roll back, resolve, packaged fallback."""

import json

import pytest

from ml.reading.registry import PACKAGED_VERSION, Registry, RegistryError


def test_without_promotions_the_packaged_weights_are_current(registry_root):
    registry = Registry(registry_root)
    assert registry.root == registry_root
    for name in ("lenet", "mlp"):
        current = registry.current(name)
        assert current.version == PACKAGED_VERSION and current.onnx_path.is_file()


def test_add_promote_and_roll_back(registry_root, tiny_model_dir):
    registry = Registry(registry_root)
    first = registry.add("lenet", tiny_model_dir)
    second = registry.add("lenet", tiny_model_dir)
    assert (first.version, second.version) == ("v0001", "v0002")
    assert registry.versions("lenet") == ["v0001", "v0002"]
    registry.promote("lenet", "v0001")
    registry.promote("lenet", "v0002")
    assert registry.current("lenet").version == "v0002"
    assert registry.rollback("lenet").version == "v0001"
    assert registry.rollback("lenet").version == PACKAGED_VERSION
    with pytest.raises(RegistryError):
        registry.rollback("lenet")


def test_state_survives_a_new_registry_object(registry_root, tiny_model_dir):
    Registry(registry_root).promote(
        "mlp", Registry(registry_root).add("mlp", tiny_model_dir).version
    )
    assert Registry(registry_root).current("mlp").version == "v0001"
    state = json.loads((registry_root / "mlp" / "state.json").read_text())
    assert state == {"current": "v0001", "history": ["v0001"]}


def test_resolve_by_name_version_or_path(registry_root, tiny_model_dir):
    registry = Registry(registry_root)
    registry.add("lenet", tiny_model_dir)
    assert registry.resolve("lenet:v0001").version == "v0001"
    assert registry.resolve(str(tiny_model_dir)).path == tiny_model_dir
    assert registry.resolve(str(tiny_model_dir / "model.onnx")).path == tiny_model_dir
    for bad in ("lenet:v0099", "nosuchmodel", str(registry_root)):
        with pytest.raises(RegistryError):
            registry.resolve(bad)


def test_promoting_an_unknown_version_is_refused(registry_root):
    with pytest.raises(RegistryError):
        Registry(registry_root).promote("lenet", "v0042")
    assert Registry(registry_root).current("lenet").version == PACKAGED_VERSION


def test_model_metadata_is_complete(tiny_model_dir):
    meta = json.loads((tiny_model_dir / "meta.json").read_text())
    for key in ("letters", "input_contract", "data", "metrics", "code_version", "train_config"):
        assert key in meta
    assert len(meta["letters"]) == 40 and meta["input_contract"]["size"] == [28, 28]
    assert set(meta["files"]) == {"model.pt", "model.onnx"}
