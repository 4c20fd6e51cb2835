"""SavedModel export: TF Serving's version folders, readable by other users, never
half-written, never overwritten."""
import os
import stat

import pytest
from conftest import tiny

from tfgan_zoo import export


@pytest.fixture(scope="module")
def gan():
    return tiny("dcgan")


def test_versions_count_up_and_are_readable_by_other_users(gan, tmp_path):
    old = os.umask(0o022)
    try:
        first = export.saved_model(gan, str(tmp_path))
        second = export.saved_model(gan, str(tmp_path))
    finally:
        os.umask(old)
    assert [os.path.basename(p) for p in (first, second)] == ["1", "2"]
    for path in (first, second):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        assert mode == 0o755, oct(mode)  # not mkdtemp's 0700
        for root, dirs, files in os.walk(path):
            for name in dirs + files:
                assert os.stat(os.path.join(root, name)).st_mode & stat.S_IROTH, name
    assert sorted(os.listdir(tmp_path)) == ["1", "2"]  # no staging folder left


def test_an_existing_version_is_never_overwritten(gan, tmp_path):
    (tmp_path / "3").mkdir()
    (tmp_path / "3" / "keep").write_text("x")
    with pytest.raises(FileExistsError, match="export to a new version"):
        export.saved_model(gan, str(tmp_path), version=3)
    assert os.listdir(tmp_path / "3") == ["keep"]
    assert os.path.basename(export.saved_model(gan, str(tmp_path))) == "4"


def test_a_crash_while_writing_leaves_no_version_and_no_staging_folder(gan, tmp_path,
                                                                       monkeypatch):
    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(export.json, "dump", crash)  # after the SavedModel, before the rename
    with pytest.raises(OSError, match="disk full"):
        export.saved_model(gan, str(tmp_path))
    assert os.listdir(tmp_path) == []
