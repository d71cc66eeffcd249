// The CMS families added after the first four (docs/site-families.md §2 C–F); each module builds one family.
import type { Rng } from '../random.ts';
import { SIM_SUFFIX, type CountyEntry } from '../sites/catalog.ts';
import { createAspnet } from './aspnet.ts';
import { createEpoint } from './epoint.ts';
import { createGkmlpt } from './gkmlpt.ts';
import { createIframe } from './iframe.ts';
import { createHanwebXxgk, createJpaas } from './hanweb-variants.ts';
import { createLonsun } from './lonsun.ts';
import type { Family } from './types.ts';

export function createNewFamily(county: CountyEntry, rng: Rng): Family {
  switch (county.family) {
    case 'gkmlpt':
      return createGkmlpt(String(rng.int(700000, 799999)));
    case 'epoint':
      return createEpoint(`${rng.int(10000000, 99999999).toString(16)}-${rng.int(1000, 9999)}`);
    case 'lonsun':
      return createLonsun(rng.int(6500000, 6599999), rng.int(100, 999));
    case 'hanweb-xxgk':
      return createHanwebXxgk(rng.int(1, 99), `${county.name}人民政府`, `${county.regionCode}${rng.int(100, 999)}`);
    case 'jpaas':
      return createJpaas(rng.int(1, 99), `${county.name}人民政府`, `${rng.int(1, 9)}_${rng.int(1000, 9999)}`);
    case 'aspnet':
      return createAspnet(String(rng.int(1, 2 ** 30)));
    case 'iframe':
      return createIframe(`${county.subHost ?? `frame.${county.realHost.replace(/^www\./, '')}`}${SIM_SUFFIX}`);
    default:
      throw new Error(`sim: no family builder for ${county.family} (site ${county.id})`);
  }
}
