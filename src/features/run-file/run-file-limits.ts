/**
 * The run file's named caps (README, "Keep a run: export and import"). A module of its own so the page
 * can name them without loading the recorder.
 */

/** Frames a lane's journal keeps for export (about 8 minutes at 200 msg/s); past it the file says so. */
export const MAX_RECORDED_FRAMES_PER_LANE = 100_000;
/** Other recorder calls a lane's journal keeps (snapshots come 15 a second: about 20 minutes of them). */
export const MAX_RECORDED_EVENTS_PER_LANE = 20_000;
/** A larger file is refused before it is read (a full 5-lane file at the frame cap is ≈ 30 MB). */
export const MAX_RUN_FILE_BYTES = 64 * 1024 * 1024;
