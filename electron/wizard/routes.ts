import type { wizardChannels } from '../../shared/channels/wizard.js';
import type { RoutesOf } from '../router.js';
import type { WizardService } from './wizard-service.js';

export function createWizardRoutes(wizard: WizardService): RoutesOf<typeof wizardChannels> {
  return {
    'wizard.run': ({ hostId, ...options }) => wizard.run(hostId, options),
    'wizard.cancel': ({ hostId }) => ({ cancelled: wizard.cancel(hostId) }),
    'wizard.report': ({ hostId }) => wizard.report(hostId),
    'wizard.grantKvmAccess': ({ hostId }) => wizard.grantKvmAccess(hostId),
  };
}
