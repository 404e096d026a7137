// Encodes consent strings with the IAB's own libraries and writes them, with the IAB libraries'
// own decoding of each, to tests/Shared/Privacy/fixtures.json. Run: npm install && npm run generate.
'use strict';
const fs = require('fs');
const path = require('path');
const { GVL, TCModel, TCString, PurposeRestriction, RestrictionType, Segment } = require('@iabtcf/core');
const { GppModel } = require('@iabgpp/cmpapi');

const out = path.resolve(__dirname, '../../tests/Shared/Privacy/fixtures.json');

// A small vendor list of our own (the real one is not fetched): every vendor declares consent
// purposes 1, 3-7, legitimate interest for 2 and 8-10, flexible 2 and 7, and both special features,
// so that every restriction type can be encoded.
const vendorIds = [];
for (let i = 1; i <= 40; i++) vendorIds.push(i);
vendorIds.push(333, 901, 902, 2000, 2001, 2002, 2003, 2004, 2005, 30000);
const purposes = {};
for (let p = 1; p <= 11; p++) purposes[p] = { id: p, name: `Purpose ${p}`, description: '', illustrations: [] };
const vendors = {};
for (const id of vendorIds) {
  vendors[id] = {
    id, name: `Vendor ${id}`, purposes: [1, 3, 4, 5, 6, 7], legIntPurposes: [2, 8, 9, 10], flexiblePurposes: [2, 7],
    specialPurposes: [1], features: [], specialFeatures: [1, 2], cookieMaxAgeSeconds: 0, usesCookies: false,
    cookieRefresh: false, usesNonCookieAccess: false, urls: [], dataRetention: {}, dataDeclaration: [],
  };
}
const vendorList = {
  gvlSpecificationVersion: 3, vendorListVersion: 77, tcfPolicyVersion: 4, lastUpdated: '2026-11-01T00:00:00Z',
  purposes, specialPurposes: { 1: { id: 1, name: 'SP1', description: '', illustrations: [] } },
  features: {}, specialFeatures: { 1: { id: 1, name: 'Precise geolocation', description: '', illustrations: [] }, 2: { id: 2, name: 'Device scan', description: '', illustrations: [] } },
  stacks: {}, dataCategories: {}, vendors,
};

function tcf(name, spec) {
  const list0 = JSON.parse(JSON.stringify(vendorList));
  list0.tcfPolicyVersion = spec.policyVersion;
  const gvl = new GVL(list0);
  const m = new TCModel(gvl);
  m.cmpId = spec.cmpId ?? 31;
  m.cmpVersion = spec.cmpVersion ?? 4;
  m.consentScreen = 1;
  m.isServiceSpecific = true;
  m.created = new Date('2026-11-20T10:00:00Z');
  m.lastUpdated = new Date('2026-11-21T10:00:00Z');
  m.policyVersion = spec.policyVersion;
  m.purposeConsents.set(spec.purposeConsents ?? []);
  m.purposeLegitimateInterests.set(spec.purposeLI ?? []);
  m.specialFeatureOptins.set(spec.specialFeatures ?? []);
  m.vendorConsents.set(spec.vendorConsents ?? []);
  m.vendorLegitimateInterests.set(spec.vendorLI ?? []);
  for (const r of spec.restrictions ?? []) {
    for (const v of r.vendors) m.publisherRestrictions.add(v, new PurposeRestriction(r.purpose, r.type));
  }
  const segments = [Segment.CORE];
  if (spec.disclosed) segments.push(Segment.VENDORS_DISCLOSED);
  // The pre-encoder marks every vendor of the list as disclosed; a case may disclose fewer.
  let encoded;
  if (spec.disclosed && spec.disclosedVendors) {
    const pre = TCString.encode(m, { segments: [Segment.CORE] });
    m.vendorsDisclosed.set(spec.disclosedVendors);
    const { SegmentEncoder } = require('@iabtcf/core');
    const processed = m.clone();
    processed.gvl = m.gvl;
    processed.vendorsDisclosed.empty();
    processed.vendorsDisclosed.set(spec.disclosedVendors);
    encoded = pre + '.' + SegmentEncoder.encode(processed, Segment.VENDORS_DISCLOSED);
  } else {
    encoded = TCString.encode(m, { segments });
  }
  const d = TCString.decode(encoded);
  const core = encoded.split('.')[0];
  const bits = [...core].map((ch) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.indexOf(ch).toString(2).padStart(6, '0')).join('');
  const vendorEncoding = bits[213 + 16] === '1' ? 'range' : 'bitfield';
  const list = (vector) => { const a = []; vector.forEach((on, id) => { if (on) a.push(id); }); return a; };
  const restrictions = [];
  for (const r of d.publisherRestrictions.getRestrictions()) {
    restrictions.push({ purpose: r.purposeId, type: r.restrictionType, vendors: d.publisherRestrictions.getVendors(r).slice().sort((a, b) => a - b) });
  }
  restrictions.sort((a, b) => a.purpose - b.purpose || a.type - b.type);
  return {
    name, note: spec.note, string: encoded, vendorEncoding,
    expected: {
      version: d.version, policyVersion: d.policyVersion, cmpId: d.cmpId, cmpVersion: d.cmpVersion,
      vendorListVersion: d.vendorListVersion, isServiceSpecific: d.isServiceSpecific,
      purposeConsents: list(d.purposeConsents), purposeLegitimateInterests: list(d.purposeLegitimateInterests),
      specialFeatureOptins: list(d.specialFeatureOptins), vendorConsents: list(d.vendorConsents),
      vendorLegitimateInterests: list(d.vendorLegitimateInterests),
      vendorsDisclosed: encoded.includes('.') ? list(d.vendorsDisclosed) : null,
      maxVendorId: Math.max(d.vendorConsents.maxId, d.vendorLegitimateInterests.maxId),
      publisherRestrictions: restrictions,
    },
  };
}

const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const dense = vendorIds.filter((v) => v <= 40).concat([901]);
// 1-40 with three holes: a bit field is shorter than four ranges, so the library writes a bit field.
const bitfield = vendorIds.filter((v) => v <= 40 && v !== 5 && v !== 17 && v !== 29);
const sparse = [3, 901, 2000, 2001, 2002, 2003, 2004, 2005, 30000];
const tcfCases = [
  tcf('tcf22-bitfield-full', { note: 'v2.2, vendors 1-40 but 5, 17, 29 (bit field), every purpose, both special features', policyVersion: 4, purposeConsents: all, purposeLI: [2, 7, 8, 9, 10], specialFeatures: [1, 2], vendorConsents: bitfield, vendorLI: bitfield }),
  tcf('tcf22-dense-with-901', { note: 'v2.2, vendors 1-40 and 901 (two ranges), every purpose, both special features', policyVersion: 4, purposeConsents: all, purposeLI: [2, 7, 8, 9, 10], specialFeatures: [1, 2], vendorConsents: dense, vendorLI: dense }),
  tcf('tcf22-range-full', { note: 'v2.2, sparse vendors up to 30000 (range encoding), every purpose', policyVersion: 4, purposeConsents: all, purposeLI: [2, 7, 8, 9, 10], specialFeatures: [1], vendorConsents: sparse, vendorLI: [901, 30000] }),
  tcf('tcf22-no-purpose2', { note: 'v2.2, purposes 1, 3, 4 only: no legal basis for basic ads', policyVersion: 4, purposeConsents: [1, 3, 4], specialFeatures: [1], vendorConsents: dense, vendorLI: dense }),
  tcf('tcf22-li-purpose2-only', { note: 'v2.2, purpose 2 by legitimate interest, no consent for 3 and 4', policyVersion: 4, purposeConsents: [1], purposeLI: [2], vendorConsents: dense, vendorLI: dense }),
  tcf('tcf22-no-special-feature1', { note: 'v2.2, every purpose but no special feature 1 (precise geolocation)', policyVersion: 4, purposeConsents: all, purposeLI: [2], specialFeatures: [2], vendorConsents: dense, vendorLI: dense }),
  tcf('tcf22-vendor-without-consent', { note: 'v2.2, every purpose, but vendor 901 has neither consent nor LI', policyVersion: 4, purposeConsents: all, purposeLI: [2], specialFeatures: [1], vendorConsents: dense.filter((v) => v !== 901), vendorLI: dense.filter((v) => v !== 901) }),
  tcf('tcf22-publisher-restrictions', { note: 'v2.2, every purpose; purpose 2 not allowed for 901 and 902, consent required for purpose 2 for 1-10, LI required for purpose 7 for 333 and 2000-2005', policyVersion: 4, purposeConsents: all, purposeLI: [2, 7], specialFeatures: [1], vendorConsents: dense.concat([333, 902, 2000, 2001, 2002, 2003, 2004, 2005]), vendorLI: dense, restrictions: [{ purpose: 2, type: RestrictionType.NOT_ALLOWED, vendors: [901, 902] }, { purpose: 2, type: RestrictionType.REQUIRE_CONSENT, vendors: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }, { purpose: 7, type: RestrictionType.REQUIRE_LI, vendors: [333, 2000, 2001, 2002, 2003, 2004, 2005] }] }),
  tcf('tcf22-with-disclosed', { note: 'v2.2 with the optional disclosed-vendors segment', policyVersion: 4, disclosed: true, purposeConsents: all, purposeLI: [2], specialFeatures: [1], vendorConsents: dense, vendorLI: dense }),
  tcf('tcf23-disclosed-full', { note: 'v2.3 (policy version 5) with its mandatory disclosed-vendors segment, every purpose', policyVersion: 5, disclosed: true, purposeConsents: all, purposeLI: [2, 7], specialFeatures: [1, 2], vendorConsents: sparse, vendorLI: sparse }),
  tcf('tcf23-without-disclosed', { note: 'v2.3 without the disclosed-vendors segment it must carry: invalid', policyVersion: 5, purposeConsents: all, purposeLI: [2], specialFeatures: [1], vendorConsents: dense, vendorLI: dense }),
  tcf('tcf23-li-not-disclosed', { note: 'v2.3, purpose 2 by LI only, vendor 901 LI set but 901 not disclosed', policyVersion: 5, disclosed: true, disclosedVendors: dense.filter((v) => v !== 901), purposeLI: [2], vendorLI: dense }),
  tcf('tcf23-li-disclosed', { note: 'v2.3, purpose 2 by LI only, vendor 901 disclosed with LI', policyVersion: 5, disclosed: true, disclosedVendors: dense, purposeLI: [2], vendorLI: dense }),
];

function gpp(name, note, sections, sid) {
  const m = new GppModel();
  for (const [section, fields] of sections) {
    for (const [field, value] of Object.entries(fields)) m.setFieldValue(section, field, value);
  }
  const encoded = m.encode();
  const d = new GppModel(encoded);
  const expected = { sectionIds: d.getSectionIds(), sections: {} };
  for (const id of d.getSectionIds()) {
    const section = d.getSection === undefined ? null : null;
    const sectionName = [...require('@iabgpp/cmpapi').Sections.SECTION_ID_NAME_MAP].find(([k]) => k === id)[1];
    const fields = {};
    for (const f of ['SaleOptOut', 'SharingOptOut', 'TargetedAdvertisingOptOut', 'Version']) {
      if (d.hasField(sectionName, f)) fields[f] = d.getFieldValue(sectionName, f);
    }
    if (sectionName === 'uspv1') {
      fields.string = d.encodeSection('uspv1');
      fields.OptOutSale = d.getFieldValue('uspv1', 'OptOutSale');
    }
    if (sectionName === 'tcfeuv2') fields.string = d.encodeSection('tcfeuv2');
    expected.sections[sectionName] = { id, ...fields };
  }
  return { name, note, string: encoded, sid, expected };
}

const usnatAllowed = { Version: 1, SharingNotice: 1, SaleOptOutNotice: 1, SharingOptOutNotice: 1, TargetedAdvertisingOptOutNotice: 1, SaleOptOut: 2, SharingOptOut: 2, TargetedAdvertisingOptOut: 2, MspaCoveredTransaction: 1 };
const gppCases = [
  gpp('gpp-usnat-no-opt-out', 'usnat: notices given, no opt-out', [['usnat', usnatAllowed]], [7]),
  gpp('gpp-usnat-sale-opt-out', 'usnat: opted out of sale', [['usnat', { ...usnatAllowed, SaleOptOut: 1 }]], [7]),
  gpp('gpp-usnat-sharing-opt-out', 'usnat: opted out of sharing', [['usnat', { ...usnatAllowed, SharingOptOut: 1 }]], [7]),
  gpp('gpp-usnat-targeted-opt-out', 'usnat: opted out of targeted advertising', [['usnat', { ...usnatAllowed, TargetedAdvertisingOptOut: 1 }]], [7]),
  gpp('gpp-usca-sharing-opt-out', 'usca: opted out of sharing (cross-context behavioural advertising)', [['usca', { SaleOptOutNotice: 1, SharingOptOutNotice: 1, SaleOptOut: 2, SharingOptOut: 1, MspaCoveredTransaction: 1 }]], [8]),
  gpp('gpp-usva-targeted-opt-out', 'usva: opted out of targeted advertising', [['usva', { SharingNotice: 1, SaleOptOutNotice: 1, TargetedAdvertisingOptOutNotice: 1, SaleOptOut: 2, TargetedAdvertisingOptOut: 1, MspaCoveredTransaction: 1 }]], [9]),
  gpp('gpp-usco-no-opt-out', 'usco: no opt-out', [['usco', { SharingNotice: 1, SaleOptOutNotice: 1, TargetedAdvertisingOptOutNotice: 1, SaleOptOut: 2, TargetedAdvertisingOptOut: 2, MspaCoveredTransaction: 1 }]], [10]),
  gpp('gpp-usnat-and-usca-state-opt-out', 'usnat without opt-out and usca opted out of sale; gpp_sid names both', [['usnat', usnatAllowed], ['usca', { SaleOptOutNotice: 1, SharingOptOutNotice: 1, SaleOptOut: 1, SharingOptOut: 2, MspaCoveredTransaction: 1 }]], [7, 8]),
  gpp('gpp-usnat-and-usca-only-national-applies', 'usnat without opt-out and usca opted out of sale; gpp_sid names only usnat', [['usnat', usnatAllowed], ['usca', { SaleOptOutNotice: 1, SharingOptOutNotice: 1, SaleOptOut: 1, SharingOptOut: 2, MspaCoveredTransaction: 1 }]], [7]),
  gpp('gpp-uspv1-opt-out', 'the US Privacy string as GPP section 6, opted out of sale', [['uspv1', { Notice: 'Y', OptOutSale: 'Y', LspaCovered: 'N' }]], [6]),
];

// GPP carrying the TCF string as section 2, with usnat beside it.
{
  const tc = tcfCases.find((c) => c.name === 'tcf22-dense-with-901').string;
  const m = new GppModel();
  m.decodeSection('tcfeuv2', tc);
  for (const [k, v] of Object.entries(usnatAllowed)) m.setFieldValue('usnat', k, v);
  const encoded = m.encode();
  const d = new GppModel(encoded);
  gppCases.push({ name: 'gpp-tcfeuv2-and-usnat', note: 'GPP with the TCF v2 string as section 2 and usnat as section 7', string: encoded, sid: [2],
    expected: { sectionIds: d.getSectionIds(), sections: { tcfeuv2: { id: 2, string: d.encodeSection('tcfeuv2') }, usnat: { id: 7, Version: d.getFieldValue('usnat', 'Version'), SaleOptOut: d.getFieldValue('usnat', 'SaleOptOut'), SharingOptOut: d.getFieldValue('usnat', 'SharingOptOut'), TargetedAdvertisingOptOut: d.getFieldValue('usnat', 'TargetedAdvertisingOptOut') } } } });
}

// US Privacy strings, encoded by the GPP library's uspv1 section (the same four characters).
function usp(notice, optOut, lspa) {
  const m = new GppModel();
  m.setFieldValue('uspv1', 'Notice', notice);
  m.setFieldValue('uspv1', 'OptOutSale', optOut);
  m.setFieldValue('uspv1', 'LspaCovered', lspa);
  const s = m.encodeSection('uspv1');
  return { name: `usp-${s}`, string: s, expected: { version: 1, notice, optOutSale: optOut, lspaCovered: lspa } };
}
const uspCases = [usp('Y', 'Y', 'N'), usp('Y', 'N', 'N'), usp('-', '-', '-'), usp('Y', 'Y', 'Y'), usp('N', 'N', 'Y')];

function version(name) {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'node_modules', name, 'package.json'), 'utf8')).version;
}

const fixtures = {
  generatedBy: { '@iabtcf/core': version('@iabtcf/core'), '@iabgpp/cmpapi': version('@iabgpp/cmpapi') },
  tcf: tcfCases, gpp: gppCases, usPrivacy: uspCases,
};
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(fixtures, null, 1) + '\n');
console.log(`wrote ${tcfCases.length} TCF, ${gppCases.length} GPP and ${uspCases.length} US Privacy fixtures to ${path.relative(process.cwd(), out)}`);
