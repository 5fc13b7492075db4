import type { HandlersFor } from '../router.js';
import type { ImageService } from './image-service.js';

export function createImageRoutes(images: ImageService): HandlersFor<'images.listInstalled' | 'images.import'> {
  return {
    'images.listInstalled': ({ hostId }) => images.listInstalled(hostId),
    'images.import': (request) => images.import(request),
  };
}
