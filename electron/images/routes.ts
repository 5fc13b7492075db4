import type { HandlersFor } from '../router.js';
import type { ImageService } from './image-service.js';

export function createImageRoutes(images: ImageService): HandlersFor<'images.listInstalled'> {
  return {
    'images.listInstalled': ({ hostId }) => images.listInstalled(hostId),
  };
}
