import json

import pytest
from django.core.management import CommandError, call_command

from apps.adstudio.models import Analysis
from tests.adstudio.badfiles import text_as_mp4


def test_video_shots_writes_inclusive_frame_ranges_covering_the_video(clips, tmp_path):
    path, truth = clips("mixed", 81, seconds=6)
    out = tmp_path / "shots.json"
    call_command("video_shots", "--input", str(path), "--output", str(out))
    result = json.loads(out.read_text())
    assert set(result) == {"fps", "frames", "shots"}
    assert result["frames"] == truth["frames"] and result["shots"][0][0] == 0
    assert result["shots"][-1][1] == truth["frames"] - 1


def test_video_shots_rejects_a_non_video(tmp_path):
    with pytest.raises(CommandError, match="text, not a video"):
        call_command("video_shots", "--input", str(text_as_mp4(tmp_path)), "--output", "-")


@pytest.mark.django_db(transaction=True)
def test_video_analyze_runs_the_pipeline_and_prints_the_id(user, media, clips, capsys):
    path, _ = clips("cuts", 82, seconds=3)
    call_command("video_analyze", "--input", str(path), "--user", user.username)
    analysis_id = int(capsys.readouterr().out.strip())
    analysis = Analysis.objects.get(pk=analysis_id)
    assert analysis.owner == user and analysis.status == "succeeded"
    assert analysis.job.status == "succeeded"


@pytest.mark.django_db(transaction=True)
def test_video_analyze_reports_a_failure(user, media, tmp_path):
    with pytest.raises(CommandError, match="failed: The file is text"):
        call_command("video_analyze", "--input", str(text_as_mp4(tmp_path)), "--user", user.username)


@pytest.mark.django_db(transaction=True)
def test_demo_data_queues_one_analysis_and_is_idempotent(media):
    import io

    from apps.adstudio import demo
    from tests.factories import UserFactory

    UserFactory(username=demo.DEMO_USER)
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    assert Analysis.objects.filter(video__title=demo.DEMO_TITLE).count() == 1
