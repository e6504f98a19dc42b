export {
  skillProfile,
  weakSkills,
  labelOfValue,
  CLUSTER_ATTRIBUTE,
  type SkillRow,
  type SkillProfileOptions,
} from './profile.js';
export { clusterAttributes, attributeSourceFor, type AttributeSource } from './attributes.js';
export type { SkillEntry, SkillProfile } from './types.js';
export { tagAttributes, attributeKey, TAG_BATCH } from './tag.js';
