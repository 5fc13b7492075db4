import type { imagesChannels } from '../../shared/channels/images.js';
import type { RoutesOf } from '../router.js';
import type { ImageService } from './image-service.js';

export function createImageRoutes(images: ImageService): RoutesOf<typeof imagesChannels> {
  return {
    'images.listInstalled': ({ hostId }) => images.listInstalled(hostId),
    'images.import': (request) => images.import(request),
    'images.catalog': ({ hostId }) => images.catalog(hostId),
  };
}
