import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CITYSCAPES_LABELS,
  IGNORE_TRAIN_ID,
  IS_THING_TRAIN_ID,
  LABEL_ID_TO_TRAIN_ID,
  NUM_TRAIN_CLASSES,
  THING_TRAIN_IDS,
  TRAIN_ID_TO_COLOR,
  TRAIN_ID_TO_NAME,
  labelById,
  labelByName,
  trainIdColor,
} from '../../src/data/cityscapes-labels.js';

/**
 * The published table (cityscapesScripts, helpers/labels.py), typed in here independently of the source, in
 * the script's own row format, and parsed below.
 */
const PUBLISHED = `
    Label(  'unlabeled'            ,  0 ,      255 , 'void'            , 0       , False        , True         , (  0,  0,  0) ),
    Label(  'ego vehicle'          ,  1 ,      255 , 'void'            , 0       , False        , True         , (  0,  0,  0) ),
    Label(  'rectification border' ,  2 ,      255 , 'void'            , 0       , False        , True         , (  0,  0,  0) ),
    Label(  'out of roi'           ,  3 ,      255 , 'void'            , 0       , False        , True         , (  0,  0,  0) ),
    Label(  'static'               ,  4 ,      255 , 'void'            , 0       , False        , True         , (  0,  0,  0) ),
    Label(  'dynamic'              ,  5 ,      255 , 'void'            , 0       , False        , True         , (111, 74,  0) ),
    Label(  'ground'               ,  6 ,      255 , 'void'            , 0       , False        , True         , ( 81,  0, 81) ),
    Label(  'road'                 ,  7 ,        0 , 'flat'            , 1       , False        , False        , (128, 64,128) ),
    Label(  'sidewalk'             ,  8 ,        1 , 'flat'            , 1       , False        , False        , (244, 35,232) ),
    Label(  'parking'              ,  9 ,      255 , 'flat'            , 1       , False        , True         , (250,170,160) ),
    Label(  'rail track'           , 10 ,      255 , 'flat'            , 1       , False        , True         , (230,150,140) ),
    Label(  'building'             , 11 ,        2 , 'construction'    , 2       , False        , False        , ( 70, 70, 70) ),
    Label(  'wall'                 , 12 ,        3 , 'construction'    , 2       , False        , False        , (102,102,156) ),
    Label(  'fence'                , 13 ,        4 , 'construction'    , 2       , False        , False        , (190,153,153) ),
    Label(  'guard rail'           , 14 ,      255 , 'construction'    , 2       , False        , True         , (180,165,180) ),
    Label(  'bridge'               , 15 ,      255 , 'construction'    , 2       , False        , True         , (150,100,100) ),
    Label(  'tunnel'               , 16 ,      255 , 'construction'    , 2       , False        , True         , (150,120, 90) ),
    Label(  'pole'                 , 17 ,        5 , 'object'          , 3       , False        , False        , (153,153,153) ),
    Label(  'polegroup'            , 18 ,      255 , 'object'          , 3       , False        , True         , (153,153,153) ),
    Label(  'traffic light'        , 19 ,        6 , 'object'          , 3       , False        , False        , (250,170, 30) ),
    Label(  'traffic sign'         , 20 ,        7 , 'object'          , 3       , False        , False        , (220,220,  0) ),
    Label(  'vegetation'           , 21 ,        8 , 'nature'          , 4       , False        , False        , (107,142, 35) ),
    Label(  'terrain'              , 22 ,        9 , 'nature'          , 4       , False        , False        , (152,251,152) ),
    Label(  'sky'                  , 23 ,       10 , 'sky'             , 5       , False        , False        , ( 70,130,180) ),
    Label(  'person'               , 24 ,       11 , 'human'           , 6       , True         , False        , (220, 20, 60) ),
    Label(  'rider'                , 25 ,       12 , 'human'           , 6       , True         , False        , (255,  0,  0) ),
    Label(  'car'                  , 26 ,       13 , 'vehicle'         , 7       , True         , False        , (  0,  0,142) ),
    Label(  'truck'                , 27 ,       14 , 'vehicle'         , 7       , True         , False        , (  0,  0, 70) ),
    Label(  'bus'                  , 28 ,       15 , 'vehicle'         , 7       , True         , False        , (  0, 60,100) ),
    Label(  'caravan'              , 29 ,      255 , 'vehicle'         , 7       , True         , True         , (  0,  0, 90) ),
    Label(  'trailer'              , 30 ,      255 , 'vehicle'         , 7       , True         , True         , (  0,  0,110) ),
    Label(  'train'                , 31 ,       16 , 'vehicle'         , 7       , True         , False        , (  0, 80,100) ),
    Label(  'motorcycle'           , 32 ,       17 , 'vehicle'         , 7       , True         , False        , (  0,  0,230) ),
    Label(  'bicycle'              , 33 ,       18 , 'vehicle'         , 7       , True         , False        , (119, 11, 32) ),
    Label(  'license plate'        , -1 ,       -1 , 'vehicle'         , 7       , False        , True         , (  0,  0,142) ),
`;

interface Row {
  name: string;
  id: number;
  trainId: number;
  category: string;
  categoryId: number;
  hasInstances: boolean;
  ignoreInEval: boolean;
  color: number[];
}

function parsePublished(text: string): Row[] {
  const re =
    /Label\(\s*'([^']+)'\s*,\s*(-?\d+)\s*,\s*(-?\d+)\s*,\s*'([^']+)'\s*,\s*(\d+)\s*,\s*(True|False)\s*,\s*(True|False)\s*,\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)\s*\)/g;
  return [...text.matchAll(re)].map((m) => ({
    name: m[1]!,
    id: Number(m[2]),
    trainId: Number(m[3]),
    category: m[4]!,
    categoryId: Number(m[5]),
    hasInstances: m[6] === 'True',
    ignoreInEval: m[7] === 'True',
    color: [Number(m[8]), Number(m[9]), Number(m[10])],
  }));
}

describe('CityScapes labels table', () => {
  const published = parsePublished(PUBLISHED);

  it('has all 35 published rows in the published order with every field equal', () => {
    assert.equal(published.length, 35);
    assert.equal(CITYSCAPES_LABELS.length, 35);
    CITYSCAPES_LABELS.forEach((label, i) => {
      const row = published[i]!;
      assert.deepEqual(
        {
          name: label.name,
          id: label.id,
          trainId: label.trainId,
          category: label.category,
          categoryId: label.categoryId,
          hasInstances: label.hasInstances,
          ignoreInEval: label.ignoreInEval,
          color: [...label.color],
        },
        row,
        `row ${i} (${row.name})`,
      );
    });
  });

  it('spot-checks well-known rows', () => {
    assert.deepEqual(labelByName('car'), labelById(26));
    assert.equal(labelById(26)?.trainId, 13);
    assert.deepEqual([...(labelByName('road')?.color ?? [])], [128, 64, 128]);
    assert.equal(labelByName('license plate')?.id, -1);
    assert.equal(labelById(99), undefined);
  });

  it('maps every label id to its train id, and everything else to 255', () => {
    assert.equal(LABEL_ID_TO_TRAIN_ID.length, 256);
    for (let id = 0; id < 256; id++) {
      const row = published.find((r) => r.id === id);
      const expected = row !== undefined && row.trainId >= 0 && row.trainId < 19 ? row.trainId : 255;
      assert.equal(LABEL_ID_TO_TRAIN_ID[id], expected, `label id ${id}`);
    }
  });

  it('has 19 train classes with names and colours from the published table', () => {
    assert.equal(NUM_TRAIN_CLASSES, 19);
    assert.equal(IGNORE_TRAIN_ID, 255);
    assert.deepEqual(TRAIN_ID_TO_NAME, [
      'road',
      'sidewalk',
      'building',
      'wall',
      'fence',
      'pole',
      'traffic light',
      'traffic sign',
      'vegetation',
      'terrain',
      'sky',
      'person',
      'rider',
      'car',
      'truck',
      'bus',
      'train',
      'motorcycle',
      'bicycle',
    ]);
    for (let t = 0; t < 19; t++) {
      const row = published.find((r) => r.trainId === t)!;
      assert.deepEqual([...TRAIN_ID_TO_COLOR[t]!], row.color);
      assert.deepEqual([...trainIdColor(t)], row.color);
    }
    assert.deepEqual([...trainIdColor(255)], [0, 0, 0]);
  });

  it('lists exactly the eight thing classes', () => {
    const names = THING_TRAIN_IDS.map((t) => TRAIN_ID_TO_NAME[t]);
    assert.deepEqual(names, ['person', 'rider', 'car', 'truck', 'bus', 'train', 'motorcycle', 'bicycle']);
    for (let t = 0; t < 256; t++) assert.equal(IS_THING_TRAIN_ID[t], THING_TRAIN_IDS.includes(t) ? 1 : 0);
  });
});
