/** Room a new VM's disk gets above its image by default, for packages and data. */
export const DISK_HEADROOM_MIB = 1024;

/** The default disk size for an image: its size, rounded up to a MiB, plus the headroom. */
export const defaultDiskMib = (imageBytes: number): number => Math.ceil(imageBytes / 1024 ** 2) + DISK_HEADROOM_MIB;
