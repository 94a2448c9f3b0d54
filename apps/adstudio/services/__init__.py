"""Writes for the Ad studio (keyword-only ``<entity>_<verb>`` functions).

Split by entity: videos (sources, uploads, downloads), analyses (the pipeline job and saving its
results), moodboards (items, order, notes, collage, PDF, share links), frames (full-resolution
keyframes), moments (a shot or a board composed into a scent), notion (settings and exports), removal
(videos and analyses deleted with their files), scenes (scenes and tags deleted, search text kept true).
"""

from apps.adstudio.services.analyses import (  # noqa: F401
    analyses_recover,
    analysis_finished,
    analysis_run,
    analysis_start,
    analysis_start_from_upload,
)
from apps.adstudio.services.frames import shot_frame_full, shot_frame_full_png, shot_frame_full_stored  # noqa: F401
from apps.adstudio.services.moments import moodboard_scent_compose, shot_scent_compose  # noqa: F401
from apps.adstudio.services.moodboards import (  # noqa: F401
    moodboard_collage_render,
    moodboard_create,
    moodboard_delete,
    moodboard_item_add,
    moodboard_item_annotate,
    moodboard_item_remove,
    moodboard_items_reorder,
    moodboard_pdf_render,
    moodboard_share,
    moodboard_unshare,
    moodboard_update,
)
from apps.adstudio.services.removal import analysis_delete, video_delete  # noqa: F401
from apps.adstudio.services.scenes import scene_group_delete, tag_delete  # noqa: F401
from apps.adstudio.services.notion import (  # noqa: F401
    notion_export_run,
    notion_export_start,
    notion_settings_clear,
    notion_settings_save,
)
from apps.adstudio.services.videos import (  # noqa: F401
    video_create_from_upload,
    video_create_from_url,
)
